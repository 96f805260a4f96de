// SPDX-License-Identifier: Apache-2.0
// Writes a synthetic public extraction file of MSSanté mailboxes in the real 31-column format
// (Extraction_Correspondance_MSSante_<date>.txt): seeded and deterministic, so two runs with the
// same arguments give the same bytes.
//
//   mss_bench_directory_gen <rows> <seed> <output file> [malformed lines]
//
// What makes it realistic enough for a search benchmark:
// - family names follow a long-tailed distribution: a few hundred common French names (with
//   accents, particles "DE", "DE LA", "D'", "LE", "N'", and hyphenated double names) take a third
//   of the rows (MARTIN, the most frequent, about 1 %), and a syllable generator gives the long
//   tail of rare names (about 100,000 distinct names in a million rows);
// - given names with accents and compounds (Émilie, Jean-Pierre, Anaïs, Maëlle...);
// - professions with their real TRE_G15 codes and shares (10 Médecin, 60 Infirmier,
//   21 Pharmacien, 70 Masseur-kinésithérapeute, 40 Chirurgien-dentiste, 50 Sage-femme...), with
//   savoir-faire for physicians (SM26 Qualifié en médecine générale...);
// - cities weighted by size, with their postal codes and departments (Corsica 2A/2B, overseas);
// - valid RPPS numbers (Luhn key) and idNat_PS = 8 + RPPS; about 85 % PER and 15 % ORG boxes;
// - structures (establishments, pharmacies, group practices; about one for ten rows) shared by
//   the ORG boxes and by most PER boxes, with FINESS or SIRET identifiers and street addresses;
// - a few addresses repeated on a second line (another savoir-faire), as in the real file.
// No liste-rouge box: the public file never contains them. Every identity is invented.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace
{

class rng
{
public:
    explicit rng(std::uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) {}

    // splitmix64: portable and fixed, unlike the standard distributions.
    std::uint64_t next()
    {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
    double unit() { return static_cast<double>(next() >> 11) / 9007199254740992.0; }
    bool chance(double p) { return unit() < p; }

    // Skewed pick: small indexes more often than large ones; P(index < k) = (k/n)^(1/power).
    std::size_t skewed(std::size_t n, double power = 1.5)
    {
        const double u = std::pow(unit(), power);
        return std::min(n - 1, static_cast<std::size_t>(static_cast<double>(n) * u));
    }

private:
    std::uint64_t state_;
};

const std::vector<std::string_view> common_families = {
    "MARTIN",    "BERNARD",     "THOMAS",      "PETIT",       "ROBERT",         "RICHARD",
    "DURAND",    "DUBOIS",      "MOREAU",      "LAURENT",     "SIMON",          "MICHEL",
    "LEFÈVRE",   "LEROY",       "ROUX",        "DAVID",       "BERTRAND",       "MOREL",
    "FOURNIER",  "GIRARD",      "BONNET",      "DUPONT",      "LAMBERT",        "FONTAINE",
    "ROUSSEAU",  "VINCENT",     "MULLER",      "LEFÈBVRE",    "FAURE",          "ANDRÉ",
    "MERCIER",   "BLANC",       "GUÉRIN",      "BOYER",       "GARNIER",        "CHEVALIER",
    "FRANÇOIS",  "LEGRAND",     "GAUTHIER",    "GARCIA",      "PERRIN",         "ROBIN",
    "CLÉMENT",   "MORIN",       "NICOLAS",     "HENRY",       "ROUSSEL",        "MATHIEU",
    "GAUTIER",   "MASSON",      "MARCHAND",    "DUVAL",       "DENIS",          "DUMONT",
    "MARIE",     "LEMAIRE",     "NOËL",        "MEYER",       "DUFOUR",         "MEUNIER",
    "BRUN",      "BLANCHARD",   "GIRAUD",      "JOLY",        "RIVIÈRE",        "LUCAS",
    "BRUNET",    "GAILLARD",    "BARBIER",     "ARNAUD",      "MARTINEZ",       "GÉRARD",
    "ROCHE",     "RENARD",      "SCHMITT",     "ROY",         "LEROUX",         "COLIN",
    "VIDAL",     "CARON",       "PICARD",      "ROGER",       "FABRE",          "AUBERT",
    "LEMOINE",   "RENAUD",      "DUMAS",       "LACROIX",     "OLIVIER",        "PHILIPPE",
    "BOURGEOIS", "PIERRE",      "BENOÎT",      "REY",         "LECLERC",        "PAYET",
    "ROLLAND",   "LECLERCQ",    "GUILLAUME",   "LECOMTE",     "LÓPEZ",          "JEAN",
    "DUPUY",     "GUILLOT",     "HUBERT",      "BERGER",      "CARPENTIER",     "SÁNCHEZ",
    "DUPUIS",    "MOULIN",      "LOUIS",       "DESCHAMPS",   "HUET",           "VASSEUR",
    "PEREZ",     "BOUCHER",     "FLEURY",      "ROYER",       "KLEIN",          "JACQUET",
    "ADAM",      "PARIS",       "POIRIER",     "MARTY",       "AUBRY",          "GUYOT",
    "CARRÉ",     "CHARLES",     "RENAULT",     "CHARPENTIER", "MÉNARD",         "MAILLARD",
    "BARON",     "BERTIN",      "BAILLY",      "HERVÉ",       "SCHNEIDER",      "FERNANDEZ",
    "LE GALL",   "COLLET",      "LÉGER",       "BOUVIER",     "JULIEN",         "PRÉVOST",
    "MILLET",    "PERROT",      "DANIEL",      "LE ROUX",     "COUSIN",         "GERMAIN",
    "BRETON",    "BESSON",      "LANGLOIS",    "RÉMY",        "LE GOFF",        "PELLETIER",
    "LÉVÊQUE",   "PERRIER",     "LEBLANC",     "BARRÉ",       "LEBRUN",         "MARCHAL",
    "WEBER",     "MALLET",      "HAMON",       "BOULANGER",   "JACOB",          "MONNIER",
    "MICHAUD",   "RODRIGUEZ",   "GUICHARD",    "GILLET",      "ÉTIENNE",        "GRONDIN",
    "POULAIN",   "TESSIER",     "CHEVALLIER",  "COLLIN",      "CHAUVIN",        "DA SILVA",
    "BOUCHET",   "GAY",         "LEMAÎTRE",    "BÉNARD",      "MARÉCHAL",       "HUMBERT",
    "REYNAUD",   "ANTOINE",     "HOARAU",      "PERRET",      "BARTHÉLEMY",     "CORDIER",
    "PICHON",    "LEJEUNE",     "GILBERT",     "LAMY",        "DELAUNAY",       "PASQUIER",
    "CARLIER",   "LAPORTE",     "N'DIAYE",     "D'AUBIGNÉ",   "DE LA FONTAINE", "DE SAINT-EXUPÉRY",
    "D'ALMEIDA", "DE OLIVEIRA", "LE BIHAN",    "DU PONT",     "DE LA ROCHE",    "D'ARTAGNAN",
    "N'GUYEN",   "DES ESSARTS", "LA FERRIÈRE", "DE BONNEVAL", "DU BELLAY",      "LE NÔTRE",
};

const std::vector<std::string_view> syllables_start = {
    "BER", "MAR",  "DU", "LE",  "RO",  "FON", "GAR", "LA",  "CHA", "BOU", "VIL", "MON", "SAINT", "PON",
    "TRI", "GUÉ",  "BÉ", "RÉ",  "HÉ",  "CAM", "COR", "DES", "FA",  "GRA", "JOU", "LOR", "MÉ",    "NA",
    "PÉ",  "QUEN", "SA", "TOU", "VAL", "BRI", "CLO", "DRO", "FRO", "GLI", "PRO", "STÉ",
};
const std::vector<std::string_view> syllables_middle = {
    "NA", "RI", "LO", "CHE", "MA", "TE", "VI", "RO", "DE", "GA", "LÈ", "NÉ", "SSI", "TTE", "BU", "", "", "",
};
const std::vector<std::string_view> syllables_end = {
    "RD",  "ND", "T",   "UX", "IN",   "AIN", "EAU", "ET", "OT",  "AC",  "AS", "ÈRE",
    "IER", "ON", "ARD", "EL", "ILLE", "OUX", "Y",   "É",  "OIS", "ENS", "AT", "UL",
};

const std::vector<std::string_view> given_names = {
    "Marie",
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Alain",
    "Nicolas",
    "Christophe",
    "Stéphane",
    "Sophie",
    "Valérie",
    "Sandrine",
    "Céline",
    "Julien",
    "Thomas",
    "Émilie",
    "Hélène",
    "Jérôme",
    "François",
    "Frédéric",
    "Laurent",
    "Éric",
    "Olivier",
    "Anne",
    "Christine",
    "Aurélie",
    "Camille",
    "Élodie",
    "Mathilde",
    "Léa",
    "Chloé",
    "Zoé",
    "Anaïs",
    "Maëlle",
    "Noël",
    "Jean-Pierre",
    "Jean-Marc",
    "Jean-François",
    "Marie-Claire",
    "Marie-Hélène",
    "Anne-Sophie",
    "Pierre-Yves",
    "Jean-Luc",
    "Marie-Christine",
    "Jean-Baptiste",
    "Hervé",
    "Thierry",
    "Sébastien",
    "Guillaume",
    "Benoît",
    "Agnès",
    "Béatrice",
    "Cécile",
    "Danièle",
    "Geneviève",
    "Gérard",
    "Grégory",
    "Joël",
    "Loïc",
    "Mélanie",
    "Océane",
    "Raphaël",
    "Rémi",
    "Solène",
    "Thérèse",
    "Timothée",
    "Véronique",
    "Yannick",
    "Zoë",
    "Léon",
    "Lucas",
    "Hugo",
    "Louis",
    "Arthur",
    "Jules",
    "Emma",
    "Louise",
    "Alice",
    "Lina",
    "Rose",
    "Paul",
    "Antoine",
    "Maxime",
    "Alexandre",
    "Vincent",
    "Romain",
    "Mathieu",
    "Claire",
    "Julie",
    "Laura",
    "Caroline",
    "Virginie",
    "Karine",
    "Patricia",
    "Martine",
    "Brigitte",
    "Dominique",
    "Pascal",
    "Patrick",
    "Didier",
    "Bruno",
    "Denis",
    "Daniel",
    "Bernard",
    "Yves",
    "André",
    "Jacques",
    "Marc",
    "Luc",
    "Martin",
};

struct profession
{
    std::string_view code, label, domain;
    double share;
};
const std::vector<profession> professions = {
    {"10", "Médecin", "medecin.mssante.fr", 0.40},
    {"60", "Infirmier", "infirmier.mssante.fr", 0.22},
    {"21", "Pharmacien", "pharmacien.mssante.fr", 0.11},
    {"70", "Masseur-kinésithérapeute", "kine.mssante.fr", 0.09},
    {"40", "Chirurgien-dentiste", "chirurgien-dentiste.mssante.fr", 0.07},
    {"50", "Sage-femme", "sagefemme.mssante.fr", 0.04},
    {"91", "Orthophoniste", "pro.mssante.fr", 0.03},
    {"80", "Pédicure-podologue", "pro.mssante.fr", 0.02},
    {"28", "Opticien-lunetier", "pro.mssante.fr", 0.01},
    {"26", "Audioprothésiste", "pro.mssante.fr", 0.01},
};

struct specialty
{
    std::string_view code, label;
};
const std::vector<specialty> physician_specialties = {
    {"SM26", "Qualifié en médecine générale"},
    {"SM54", "Médecine générale"},
    {"SM04", "Cardiologie et maladies vasculaires"},
    {"SM02", "Anesthésie-réanimation"},
    {"SM15", "Dermatologie et vénéréologie"},
    {"SM40", "Pédiatrie"},
    {"SM42", "Psychiatrie"},
    {"SM44", "Radio-diagnostic"},
    {"SM20", "Gynécologie-obstétrique"},
    {"SM38", "Ophtalmologie"},
};

struct city
{
    std::string_view name;
    std::string_view postal;  // the main postal code
    std::string_view department;
    int weight;
};
const std::vector<city> cities = {
    {"PARIS", "75000", "75", 60},
    {"MARSEILLE", "13000", "13", 25},
    {"LYON", "69000", "69", 22},
    {"TOULOUSE", "31000", "31", 16},
    {"NICE", "06000", "06", 10},
    {"NANTES", "44000", "44", 10},
    {"MONTPELLIER", "34000", "34", 10},
    {"STRASBOURG", "67000", "67", 9},
    {"BORDEAUX", "33000", "33", 9},
    {"LILLE", "59000", "59", 9},
    {"RENNES", "35000", "35", 7},
    {"REIMS", "51100", "51", 5},
    {"TOULON", "83000", "83", 5},
    {"SAINT-ETIENNE", "42000", "42", 5},
    {"LE HAVRE", "76600", "76", 5},
    {"GRENOBLE", "38000", "38", 5},
    {"DIJON", "21000", "21", 4},
    {"ANGERS", "49000", "49", 4},
    {"NIMES", "30000", "30", 4},
    {"VILLEURBANNE", "69100", "69", 4},
    {"CLERMONT-FERRAND", "63000", "63", 4},
    {"LE MANS", "72000", "72", 4},
    {"AIX-EN-PROVENCE", "13090", "13", 4},
    {"BREST", "29200", "29", 4},
    {"TOURS", "37000", "37", 4},
    {"AMIENS", "80000", "80", 3},
    {"LIMOGES", "87000", "87", 3},
    {"ANNECY", "74000", "74", 3},
    {"PERPIGNAN", "66000", "66", 3},
    {"BOULOGNE-BILLANCOURT", "92100", "92", 3},
    {"METZ", "57000", "57", 3},
    {"BESANCON", "25000", "25", 3},
    {"ORLEANS", "45000", "45", 3},
    {"ROUEN", "76000", "76", 3},
    {"SAINT-DENIS", "97400", "974", 3},
    {"MULHOUSE", "68100", "68", 3},
    {"CAEN", "14000", "14", 3},
    {"NANCY", "54000", "54", 3},
    {"ARGENTEUIL", "95100", "95", 2},
    {"MONTREUIL", "93100", "93", 2},
    {"ROUBAIX", "59100", "59", 2},
    {"TOURCOING", "59200", "59", 2},
    {"NANTERRE", "92000", "92", 2},
    {"AVIGNON", "84000", "84", 2},
    {"VITRY-SUR-SEINE", "94400", "94", 2},
    {"CRETEIL", "94000", "94", 2},
    {"DUNKERQUE", "59140", "59", 2},
    {"POITIERS", "86000", "86", 2},
    {"ASNIERES-SUR-SEINE", "92600", "92", 2},
    {"VERSAILLES", "78000", "78", 2},
    {"COURBEVOIE", "92400", "92", 2},
    {"COLOMBES", "92700", "92", 2},
    {"FORT-DE-FRANCE", "97200", "972", 2},
    {"AULNAY-SOUS-BOIS", "93600", "93", 2},
    {"SAINT-PIERRE", "97410", "974", 2},
    {"RUEIL-MALMAISON", "92500", "92", 2},
    {"PAU", "64000", "64", 2},
    {"AUBERVILLIERS", "93300", "93", 2},
    {"LE TAMPON", "97430", "974", 1},
    {"CHAMPIGNY-SUR-MARNE", "94500", "94", 1},
    {"ANTIBES", "06600", "06", 1},
    {"BEZIERS", "34500", "34", 1},
    {"LA ROCHELLE", "17000", "17", 2},
    {"SAINT-MAUR-DES-FOSSES", "94100", "94", 1},
    {"CANNES", "06400", "06", 1},
    {"CALAIS", "62100", "62", 1},
    {"SAINT-NAZAIRE", "44600", "44", 1},
    {"MERIGNAC", "33700", "33", 1},
    {"DRANCY", "93700", "93", 1},
    {"COLMAR", "68000", "68", 1},
    {"AJACCIO", "20000", "2A", 1},
    {"BASTIA", "20200", "2B", 1},
    {"BOURGES", "18000", "18", 1},
    {"ISSY-LES-MOULINEAUX", "92130", "92", 1},
    {"LA SEYNE-SUR-MER", "83500", "83", 1},
    {"QUIMPER", "29000", "29", 1},
    {"VALENCE", "26000", "26", 1},
    {"VILLENEUVE-D'ASCQ", "59650", "59", 1},
    {"LEVALLOIS-PERRET", "92300", "92", 1},
    {"NOISY-LE-GRAND", "93160", "93", 1},
    {"ANTONY", "92160", "92", 1},
    {"TROYES", "10000", "10", 1},
    {"NEUILLY-SUR-SEINE", "92200", "92", 1},
    {"SARCELLES", "95200", "95", 1},
    {"LES ABYMES", "97139", "971", 1},
    {"VENISSIEUX", "69200", "69", 1},
    {"CLICHY", "92110", "92", 1},
    {"LORIENT", "56100", "56", 1},
    {"PESSAC", "33600", "33", 1},
    {"IVRY-SUR-SEINE", "94200", "94", 1},
    {"CERGY", "95000", "95", 1},
    {"CAYENNE", "97300", "973", 1},
    {"NIORT", "79000", "79", 1},
    {"CHAMBERY", "73000", "73", 1},
    {"VANNES", "56000", "56", 1},
    {"SAINT-MALO", "35400", "35", 1},
    {"BEAUVAIS", "60000", "60", 1},
    {"ARLES", "13200", "13", 1},
    {"CHATEAUROUX", "36000", "36", 1},
    {"EVREUX", "27000", "27", 1},
    {"MEAUX", "77100", "77", 1},
    {"MONTAUBAN", "82000", "82", 1},
    {"CHARLEVILLE-MEZIERES", "08000", "08", 1},
    {"LAVAL", "53000", "53", 1},
    {"BAYONNE", "64100", "64", 1},
    {"ALBI", "81000", "81", 1},
    {"GAP", "05000", "05", 1},
    {"AURILLAC", "15000", "15", 1},
    {"MENDE", "48000", "48", 1},
    {"GUERET", "23000", "23", 1},
    {"FOIX", "09000", "09", 1},
    {"PRIVAS", "07000", "07", 1},
    {"DIGNE-LES-BAINS", "04000", "04", 1},
    {"MOULINS", "03000", "03", 1},
    {"LAON", "02000", "02", 1},
    {"BOURG-EN-BRESSE", "01000", "01", 1},
    {"MAMOUDZOU", "97600", "976", 1},
};

const std::vector<std::string_view> street_types = {"R",   "AV",  "BD",   "PL", "CHE",
                                                    "ALL", "IMP", "QUAI", "RTE"};
const std::vector<std::string_view> street_names = {
    "DE LA REPUBLIQUE",
    "VICTOR HUGO",
    "JEAN JAURES",
    "DU GENERAL DE GAULLE",
    "PASTEUR",
    "DES LILAS",
    "DE LA GARE",
    "DU MOULIN",
    "NATIONALE",
    "DE PARIS",
    "GAMBETTA",
    "DE LA LIBERATION",
    "DU 8 MAI 1945",
    "DES ECOLES",
    "SAINT-MARTIN",
    "DE L'EGLISE",
    "FOCH",
    "CARNOT",
    "DU STADE",
    "DES TILLEULS",
    "LECLERC",
    "ANATOLE FRANCE",
    "EMILE ZOLA",
    "DE VERDUN",
    "DES ROSES",
    "DU CHATEAU",
    "DE LA PAIX",
};
const std::vector<std::string_view> services = {
    "Cardiologie", "Urgences",         "Secrétariat médical",
    "Radiologie",  "Pédiatrie",        "Pharmacie à usage intérieur",
    "Oncologie",   "Médecine interne", "Bloc opératoire",
    "Laboratoire", "Maternité",        "Psychiatrie adulte",
    "Neurologie",  "Accueil",          "Direction des soins",
    "Gériatrie",
};
const std::vector<std::string_view> org_kinds = {
    "CENTRE HOSPITALIER DE ",
    "CHU DE ",
    "CLINIQUE SAINT-",
    "PHARMACIE DU ",
    "EHPAD LES ",
    "LABORATOIRE ",
    "CENTRE DE SANTE DE ",
    "MAISON DE SANTE PLURIPROFESSIONNELLE DE ",
    "CABINET MEDICAL DU ",
    "CENTRE DE RADIOLOGIE DE ",
};
const std::vector<std::string_view> org_names = {
    "JOSEPH", "ELOI", "MARTIN", "MARCHE",   "LILAS",   "TILLEULS", "PARC", "CENTRE",  "PORT", "VAL",
    "LAC",    "PONT", "BOIS",   "COLLINES", "MIMOSAS", "CEDRES",   "PINS", "SOURCES", "GARE", "CHATEAU",
};

std::string luhn_rpps(std::uint64_t ten_digits)
{
    std::string s = std::to_string(ten_digits);
    int sum = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
    {
        int d = s[s.size() - 1 - i] - '0';
        if (i % 2 == 0)
        {
            d *= 2;
            if (d > 9)
                d -= 9;
        }
        sum += d;
    }
    return s + static_cast<char>('0' + (10 - sum % 10) % 10);
}

// ASCII local-part from a name: accents folded, words joined by '-', other characters dropped.
std::string ascii_part(std::string_view name)
{
    static const std::vector<std::pair<std::string_view, char>> map = {
        {"É", 'e'}, {"È", 'e'}, {"Ê", 'e'}, {"Ë", 'e'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
        {"À", 'a'}, {"Â", 'a'}, {"à", 'a'}, {"â", 'a'}, {"Ç", 'c'}, {"ç", 'c'}, {"Î", 'i'}, {"Ï", 'i'},
        {"î", 'i'}, {"ï", 'i'}, {"Ô", 'o'}, {"ô", 'o'}, {"Ó", 'o'}, {"ó", 'o'}, {"Û", 'u'}, {"Ù", 'u'},
        {"û", 'u'}, {"ù", 'u'}, {"ü", 'u'}, {"Á", 'a'}, {"á", 'a'}, {"ë", 'e'},
    };
    std::string out;
    for (std::size_t i = 0; i < name.size();)
    {
        const char c = name[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        {
            out += c;
            ++i;
            continue;
        }
        if (c >= 'A' && c <= 'Z')
        {
            out += static_cast<char>(c - 'A' + 'a');
            ++i;
            continue;
        }
        bool mapped = false;
        for (const auto& [from, to] : map)
        {
            if (name.substr(i, from.size()) == from)
            {
                out += to;
                i += from.size();
                mapped = true;
                break;
            }
        }
        if (mapped)
            continue;
        if ((c == ' ' || c == '-' || c == '\'') && !out.empty() && out.back() != '-')
            out += '-';
        ++i;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

class generator
{
public:
    explicit generator(std::uint64_t seed) : rng_(seed)
    {
        for (std::size_t i = 0; i < cities.size(); ++i)
        {
            for (int w = 0; w < cities[i].weight; ++w) city_pick_.push_back(i);
        }
    }

    std::string family()
    {
        std::string name;
        if (rng_.chance(0.35))
        {
            name = common_families[rng_.skewed(common_families.size())];
        }
        else
        {
            // The long tail: about 40 × 18 × 24 × 3 forms, rarely repeated.
            name = std::string(syllables_start[rng_.below(syllables_start.size())]) +
                   std::string(syllables_middle[rng_.below(syllables_middle.size())]) +
                   std::string(syllables_end[rng_.below(syllables_end.size())]);
            const std::size_t form = rng_.below(10);
            if (form == 0)
                name = "DE " + name;
            else if (form == 1)
                name = "LE " + name;
            else if (form == 2)
                name += std::string(syllables_middle[rng_.below(syllables_middle.size())]) +
                        std::string(syllables_end[rng_.below(syllables_end.size())]);
        }
        if (rng_.chance(0.03))
            name += "-" + std::string(common_families[rng_.skewed(common_families.size())]);
        return name;
    }

    /** A place where mail boxes live: an establishment, a pharmacy, a group practice. */
    struct structure
    {
        std::string id_kind, id, company, trade, l2, l3, number, complement, street_type, street, l6, postal;
        std::string_view department, city_name;
    };

    /** Makes the structures that rows share: about one for ten rows, like the real file. */
    void make_structures(std::size_t count)
    {
        structures_.reserve(count);
        for (std::size_t i = 0; i < count; ++i)
        {
            structure st;
            const city& c = cities[city_pick_[rng_.below(city_pick_.size())]];
            place(c, st);
            const std::size_t form = rng_.below(10);
            if (form < 4)
                st.company = std::string(org_kinds[rng_.below(org_kinds.size())]) +
                             (rng_.chance(0.5) ? std::string(c.name)
                                               : std::string(org_names[rng_.below(org_names.size())]));
            else if (form < 8)
                st.company = (rng_.chance(0.5) ? "CABINET MEDICAL " : "PHARMACIE ") + family();
            else
                st.company = "SELARL " + family() + (rng_.chance(0.5) ? " ET ASSOCIES" : "");
            if (form < 4)
            {
                st.id_kind = "1";  // FINESS
                st.id = "1" +
                        std::string(c.department.size() == 3 ? c.department.substr(0, 2) : c.department) +
                        std::to_string(1000000 + rng_.below(8999999));
            }
            else
            {
                st.id_kind = "3";  // SIRET
                st.id = "3" + std::to_string(10000000000000ULL + rng_.below(89999999999999ULL));
            }
            if (rng_.chance(0.2))
                st.trade = std::string(org_names[rng_.below(org_names.size())]) + " SANTE";
            structures_.push_back(std::move(st));
        }
    }

    std::string line(std::size_t i, std::unordered_set<std::string>& used)
    {
        std::string f[31];
        structure own;
        const structure* st = nullptr;
        if (rng_.chance(0.85))
        {
            const profession& p = pick_profession();
            const std::string family_name = family();
            const std::string given(given_names[rng_.skewed(given_names.size())]);
            const std::string rpps =
                luhn_rpps(1000000000ULL + (7919ULL * i) % 90000000ULL);  // 10xxxxxxxx + key
            const std::string local = ascii_part(given) + "." + ascii_part(family_name);
            const std::string address = unique_address(local, "", std::string(p.domain), used);
            f[0] = "PER";
            f[1] = address;
            f[2] = "8";
            f[3] = rpps;
            f[4] = "8" + rpps;
            if (rng_.chance(0.6))
            {
                st = &structures_[rng_.skewed(structures_.size())];
            }
            else
            {
                // A practice of one: the professional's own address, no structure identifier.
                place(cities[city_pick_[rng_.below(city_pick_.size())]], own);
                own.company = "CABINET DU DR " + family_name;
                st = &own;
            }
            f[8] = p.code == "10" ? "DR" : (rng_.chance(0.5) ? "M" : "MME");
            f[9] = family_name;
            f[10] = given;
            f[11] = "C";
            f[12] = "Civil";
            f[13] = p.code;
            f[14] = p.label;
            if (p.code == "10")
            {
                const specialty& s = physician_specialties[rng_.skewed(physician_specialties.size(), 3)];
                f[15] = s.code;
                f[16] = s.label;
            }
            f[17] = rng_.chance(0.2) ? "O" : "";
        }
        else
        {
            st = &structures_[rng_.skewed(structures_.size())];
            const std::string_view service = services[rng_.below(services.size())];
            std::string domain = ascii_part(st->company);
            if (domain.size() > 30)
                domain.resize(30);
            while (!domain.empty() && domain.back() == '-') domain.pop_back();
            const std::string address =
                unique_address(ascii_part(service), ".", domain + ".mssante.fr", used);
            f[0] = "ORG";
            f[1] = address;
            f[7] = service;
        }
        f[5] = st->id_kind;
        f[6] = st->id;
        f[18] = st->company;
        f[19] = st->trade;
        f[20] = st->l2;
        f[21] = st->l3;
        f[22] = st->number;
        f[23] = st->complement;
        f[24] = st->street_type;
        f[25] = st->street;
        f[27] = st->l6;
        f[28] = st->postal;
        f[29] = st->department;
        f[30] = "FRANCE";

        std::string out;
        for (int k = 0; k < 31; ++k)
        {
            if (k)
                out += '|';
            out += f[k];
        }
        out += '\n';
        return out;
    }

    /** A street address in city `c`. */
    void place(const city& c, structure& st)
    {
        st.city_name = c.name;
        st.department = c.department;
        st.postal = std::string(c.postal);
        if (c.name == "PARIS")
            st.postal = "750" + std::string(rng_.chance(0.5) ? "1" : "0") + std::to_string(rng_.below(10));
        else if (c.name == "LYON")
            st.postal = "6900" + std::to_string(1 + rng_.below(9));
        else if (c.name == "MARSEILLE")
            st.postal = "130" + std::string(rng_.chance(0.5) ? "1" : "0") + std::to_string(1 + rng_.below(6));
        st.l6 = st.postal + " " + std::string(c.name);
        if (rng_.chance(0.03))
            st.l6 = std::string(c.name) + " CEDEX " + std::to_string(1 + rng_.below(20));
        st.number = std::to_string(1 + rng_.below(180));
        st.complement = rng_.chance(0.05) ? (rng_.chance(0.7) ? "BIS" : "TER") : "";
        st.street_type = street_types[rng_.below(street_types.size())];
        st.street = street_names[rng_.below(street_names.size())];
        if (rng_.chance(0.1))
            st.l2 = "BATIMENT " + std::string(1, static_cast<char>('A' + rng_.below(6)));
        if (rng_.chance(0.05))
            st.l3 = "BP " + std::to_string(10 + rng_.below(900));
    }

    rng& random() { return rng_; }

private:
    // local@domain, or local<sep><n>@domain for the n-th holder of the same name (n from 2).
    std::string unique_address(const std::string& local, std::string_view sep, const std::string& domain,
                               std::unordered_set<std::string>& used)
    {
        const std::string key = local + "@" + domain;
        int& n = next_number_[key];
        std::string address = n == 0 ? key : local + std::string(sep) + std::to_string(n) + "@" + domain;
        n = n == 0 ? 2 : n + 1;
        while (!used.insert(address).second)
            address = local + std::string(sep) + std::to_string(n++) + "@" + domain;
        return address;
    }

    const profession& pick_profession()
    {
        double u = rng_.unit();
        for (const auto& p : professions)
        {
            if (u < p.share)
                return p;
            u -= p.share;
        }
        return professions.front();
    }

    rng rng_;
    std::vector<std::size_t> city_pick_;
    std::vector<structure> structures_;
    std::unordered_map<std::string, int> next_number_;
};

constexpr std::string_view header =
    "Type de BAL|Adresse BAL|Type Identifiant PP|Identifiant PP|Identification nationale PP|"
    "Type identifiant structure|Identification Structure|Service de rattachement|Civilité d'exercice|"
    "Nom d'exercice|Prénom d'exercice|Catégorie profession|Libellé de catégorie profession|Code Profession|"
    "Libellé Profession|Code savoir-faire|Libellé savoir-faire|Dématérialisation|Raison Sociale structure "
    "BAL|"
    "Enseigne commerciale structure BAL|L2COMPLEMENTLOCALISATION structure BAL|"
    "L3COMPLEMENTDISTRIBUTION structure BAL|L4NUMEROVOIE structure BAL|L4COMPLEMENTNUMEROVOIE structure BAL|"
    "NL4TYPEVOIE structure BAL|L4LIBELLEVOIE structure BAL|L5LIEUDITMENTION structure BAL|"
    "L6LIGNEACHEMINEMENT structure BAL|Code postal structure BAL|Département structure BAL|Pays structure "
    "BAL\n";

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 4)
    {
        std::fprintf(stderr, "usage: %s <rows> <seed> <output file> [malformed lines]\n", argv[0]);
        return 2;
    }
    const std::size_t rows = std::strtoull(argv[1], nullptr, 10);
    const std::uint64_t seed = std::strtoull(argv[2], nullptr, 10);
    const std::size_t malformed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 0;
    std::FILE* out = std::fopen(argv[3], "wb");
    if (!out)
    {
        std::perror(argv[3]);
        return 1;
    }
    static char buffer[1 << 20];
    std::setvbuf(out, buffer, _IOFBF, sizeof buffer);
    std::fwrite(header.data(), 1, header.size(), out);

    generator gen(seed);
    gen.make_structures(std::max<std::size_t>(100, rows / 10));
    std::unordered_set<std::string> used;
    used.reserve(rows * 2);
    std::vector<std::string> recent;  // candidates for a repeated address
    std::size_t duplicates = 0;
    std::size_t bytes = header.size();
    for (std::size_t i = 0; i < rows; ++i)
    {
        std::string line;
        // About one address in a thousand appears on a second line (another savoir-faire).
        if (!recent.empty() && gen.random().chance(0.001))
        {
            line = recent[gen.random().below(recent.size())];
            ++duplicates;
        }
        else
        {
            line = gen.line(i, used);
            if (recent.size() < 4096)
                recent.push_back(line);
            else if (gen.random().chance(0.01))
                recent[gen.random().below(recent.size())] = line;
        }
        if (malformed != 0 && (i + 1) % (rows / malformed + 1) == 0)
            line = "PER|broken line with too few fields\n";
        bytes += line.size();
        std::fwrite(line.data(), 1, line.size(), out);
    }
    if (std::fclose(out) != 0)
    {
        std::perror(argv[3]);
        return 1;
    }
    std::printf("rows=%zu duplicates=%zu malformed=%zu bytes=%zu distinct_addresses=%zu\n", rows, duplicates,
                malformed, bytes, used.size());
    return 0;
}
