// SPDX-License-Identifier: Apache-2.0
// Decoding searchset Bundles of the Annuaire Santé FHIR API into directory entries.
//
// A Bundle is parsed whole with Boost.JSON (bounded in size and depth), then read defensively:
// every member is looked up with if_* accessors, never with throwing ones, and anything of an
// unexpected type is treated as absent. Only the Bundle's own shape (resourceType, type, entry
// and link arrays) is checked strictly; inside resources, the decoder takes what it understands.
#include <mss/directory/fhir.hpp>
#include <mss/domain/email_address.hpp>
#include <mss/domain/mailbox_type.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace mss::directory::fhir
{
namespace
{

namespace json = boost::json;

// Identifier systems and code systems (NOS terminologies of ANS), matched by their stable part so
// that the http/https and version variants seen across API versions all match.
constexpr std::string_view idnat_ps_system = "urn:oid:1.2.250.1.71.4.2.1";
constexpr std::string_view idnat_st_system = "urn:oid:1.2.250.1.71.4.2.2";
constexpr std::string_view profession_system = "TRE-G15-ProfessionSante";
constexpr std::string_view category_system = "TRE-R09-CategorieProfessionnelle";
constexpr std::string_view specialty_system = "TRE-R38-SpecialiteOrdinale";

const json::object* object_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    return v ? v->if_object() : nullptr;
}

const json::array* array_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    return v ? v->if_array() : nullptr;
}

std::string_view string_at(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    const json::string* s = v ? v->if_string() : nullptr;
    return s ? std::string_view(*s) : std::string_view();
}

/** The first string of an array member (`given`, `prefix`, `alias`). */
std::string_view first_string(const json::object& o, std::string_view key)
{
    if (const json::array* a = array_at(o, key))
    {
        for (const auto& v : *a)
        {
            if (const json::string* s = v.if_string())
                return *s;
        }
    }
    return string_at(o, key);  // tolerate a plain string where FHIR wants an array
}

bool system_is(std::string_view system, std::string_view wanted)
{
    if (system.find(wanted) != std::string_view::npos)
        return true;
    // TRE-G15-ProfessionSante also appears as TRE_G15-ProfessionSante in the URL path.
    std::string underscored(wanted);
    if (underscored.size() > 3)
        underscored[3] = '_';
    return system.find(underscored) != std::string_view::npos;
}

struct person_info
{
    std::string civility, family, given;
    coded_value category, profession, specialty;
    std::string person_kind, person, national_person;
};

struct structure_info
{
    std::string organisation, trade_name;
    std::vector<std::string> lines;
    std::string postal_code, city, department, country;
    std::string structure_kind, structure;
};

/** Reads the codings of a CodeableConcept into profession, category and specialty. */
void read_codings(const json::object& codeable, person_info& p)
{
    const json::array* codings = array_at(codeable, "coding");
    if (!codings)
        return;
    for (const auto& c : *codings)
    {
        const json::object* coding = c.if_object();
        if (!coding)
            continue;
        const std::string_view system = string_at(*coding, "system");
        coded_value value{std::string(string_at(*coding, "code")),
                          std::string(string_at(*coding, "display"))};
        if (value.code.empty())
            continue;
        if (system_is(system, profession_system))
            p.profession = std::move(value);
        else if (system_is(system, category_system))
            p.category = std::move(value);
        else if (system_is(system, specialty_system))
            p.specialty = std::move(value);
    }
}

void read_name(const json::object& name, person_info& p)
{
    if (const auto family = string_at(name, "family"); !family.empty())
        p.family = family;
    if (const auto given = first_string(name, "given"); !given.empty())
        p.given = given;
    if (const auto prefix = first_string(name, "prefix"); !prefix.empty())
        p.civility = prefix;
}

/** The person described by a Practitioner. */
person_info read_practitioner(const json::object& r)
{
    person_info p;
    if (const json::array* names = array_at(r, "name"))
    {
        // The name of practice is `usual`; fall back on `official`, then on the first one.
        const json::object* chosen = nullptr;
        for (const std::string_view use : {"usual", "official", ""})
        {
            for (const auto& n : *names)
            {
                const json::object* name = n.if_object();
                if (!chosen && name && (use.empty() || string_at(*name, "use") == use))
                    chosen = name;
            }
        }
        if (chosen)
            read_name(*chosen, p);
    }
    if (const json::array* ids = array_at(r, "identifier"))
    {
        for (const auto& i : *ids)
        {
            const json::object* id = i.if_object();
            if (!id)
                continue;
            const std::string_view system = string_at(*id, "system");
            const std::string_view value = string_at(*id, "value");
            if (system == idnat_ps_system && !value.empty())
                p.national_person = value;
            else if (system.find("rpps") != std::string_view::npos &&
                     system.find("rang") == std::string_view::npos && !value.empty())
            {
                p.person_kind = "8";
                p.person = value;
            }
        }
    }
    // idNat_PS = kind + number (8 + RPPS, 0 + ADELI): the number when no register identifier came.
    if (p.person.empty() && p.national_person.size() > 1 &&
        (p.national_person.front() == '8' || p.national_person.front() == '0'))
    {
        p.person_kind = p.national_person.substr(0, 1);
        p.person = p.national_person.substr(1);
    }
    if (const json::array* qualifications = array_at(r, "qualification"))
    {
        for (const auto& q : *qualifications)
        {
            const json::object* qualification = q.if_object();
            if (const json::object* code = qualification ? object_at(*qualification, "code") : nullptr)
                read_codings(*code, p);
        }
    }
    return p;
}

/** The structure described by an Organization. */
structure_info read_organization(const json::object& r)
{
    structure_info s;
    s.organisation = string_at(r, "name");
    s.trade_name = first_string(r, "alias");
    if (const json::array* ids = array_at(r, "identifier"))
    {
        for (const auto& i : *ids)
        {
            const json::object* id = i.if_object();
            if (id && string_at(*id, "system") == idnat_st_system && !string_at(*id, "value").empty())
            {
                s.structure = string_at(*id, "value");
                s.structure_kind = s.structure.substr(0, 1);
            }
        }
    }
    if (const json::array* addresses = array_at(r, "address"))
    {
        const json::object* address = addresses->empty() ? nullptr : addresses->front().if_object();
        if (address)
        {
            if (const json::array* lines = array_at(*address, "line"))
            {
                for (const auto& l : *lines)
                {
                    if (const json::string* line = l.if_string(); line && !line->empty())
                        s.lines.emplace_back(*line);
                }
            }
            s.postal_code = string_at(*address, "postalCode");
            s.city = string_at(*address, "city");
            s.country = string_at(*address, "country");
            std::string delivery = s.postal_code;
            if (!s.city.empty())
                delivery += (delivery.empty() ? "" : " ") + s.city;
            if (!delivery.empty())
                s.lines.push_back(std::move(delivery));
            s.department = department_of_postal_code(s.postal_code);
        }
    }
    return s;
}

/** The key of a reference ("Practitioner/123", or a full URL ending so): "Practitioner/123". */
std::string reference_key(std::string_view reference)
{
    const std::size_t last = reference.rfind('/');
    if (last == std::string_view::npos || last == 0)
        return std::string(reference);
    const std::size_t before = reference.rfind('/', last - 1);
    return std::string(before == std::string_view::npos ? reference : reference.substr(before + 1));
}

struct mailbox_metadata
{
    std::string type, description, service, responsible, phone;
    bool liste_rouge = false;
};

/** Reads the MSSanté metadata of a ContactPoint; false when it is not an MSSanté mailbox. */
bool read_mailbox(const json::object& telecom, mailbox_metadata& m)
{
    if (string_at(telecom, "system") != "email")
        return false;
    const json::array* extensions = array_at(telecom, "extension");
    if (!extensions)
        return false;
    bool mssante = false;
    for (const auto& e : *extensions)
    {
        const json::object* ext = e.if_object();
        if (!ext)
            continue;
        const std::string_view url = string_at(*ext, "url");
        if (url == email_type_extension)
        {
            const json::object* coding = object_at(*ext, "valueCoding");
            mssante = mssante || (coding && string_at(*coding, "code") == "MSSANTE");
        }
        else if (url == mailbox_metadata_extension)
        {
            const json::array* subs = array_at(*ext, "extension");
            if (!subs)
                continue;
            for (const auto& s : *subs)
            {
                const json::object* sub = s.if_object();
                if (!sub)
                    continue;
                const std::string_view name = string_at(*sub, "url");
                if (name == "type")
                {
                    // A CodeableConcept per the IG; a bare Coding is tolerated.
                    const json::object* codeable = object_at(*sub, "valueCodeableConcept");
                    const json::array* codings = codeable ? array_at(*codeable, "coding") : nullptr;
                    const json::object* coding = nullptr;
                    if (codings && !codings->empty())
                        coding = codings->front().if_object();
                    if (!coding)
                        coding = object_at(*sub, "valueCoding");
                    if (coding)
                        m.type = string_at(*coding, "code");
                }
                else if (name == "description")
                    m.description = string_at(*sub, "valueString");
                else if (name == "service")
                    m.service = string_at(*sub, "valueString");
                else if (name == "responsible")
                    m.responsible = string_at(*sub, "valueString");
                else if (name == "phone")
                    m.phone = string_at(*sub, "valueString");
                else if (name == "listeRouge")
                {
                    const json::value* v = sub->if_contains("valueBoolean");
                    m.liste_rouge = v && v->is_bool() && v->get_bool();
                }
            }
        }
    }
    return mssante;
}

class bundle_reader
{
public:
    explicit bundle_reader(bundle_page& page) : page_(page) {}

    void index(const json::object& resource, std::string_view full_url)
    {
        const std::string_view type = string_at(resource, "resourceType");
        const std::string_view id = string_at(resource, "id");
        if (!type.empty() && !id.empty())
            by_reference_[std::string(type) + "/" + std::string(id)] = &resource;
        if (!full_url.empty())
            by_reference_[reference_key(full_url)] = &resource;
    }

    void read(const json::object& resource)
    {
        const std::string_view type = string_at(resource, "resourceType");
        if (type == "Practitioner")
        {
            add_mailboxes(resource, read_practitioner(resource), nullptr);
        }
        else if (type == "Organization")
        {
            const structure_info s = read_organization(resource);
            add_mailboxes(resource, person_info{}, &s);
        }
        else if (type == "PractitionerRole")
        {
            person_info p;
            if (const json::object* practitioner = resolve(resource, "practitioner"))
                p = read_practitioner(*practitioner);
            // The role's own name of practice, codes and specialties take precedence.
            if (const json::array* extensions = array_at(resource, "extension"))
            {
                for (const auto& e : *extensions)
                {
                    const json::object* ext = e.if_object();
                    if (!ext ||
                        string_at(*ext, "url").find("practitionerRole-name") == std::string_view::npos)
                        continue;
                    if (const json::object* name = object_at(*ext, "valueHumanName"))
                        read_name(*name, p);
                }
            }
            for (const std::string_view key : {"code", "specialty"})
            {
                if (const json::array* codeables = array_at(resource, key))
                {
                    for (const auto& c : *codeables)
                    {
                        if (const json::object* codeable = c.if_object())
                            read_codings(*codeable, p);
                    }
                }
            }
            structure_info s;
            const json::object* organization = resolve(resource, "organization");
            if (organization)
                s = read_organization(*organization);
            add_mailboxes(resource, p, &s);
        }
    }

private:
    const json::object* resolve(const json::object& resource, std::string_view member)
    {
        const json::object* ref = object_at(resource, member);
        if (!ref)
            return nullptr;
        const auto it = by_reference_.find(reference_key(string_at(*ref, "reference")));
        return it == by_reference_.end() ? nullptr : it->second;
    }

    void add_mailboxes(const json::object& resource, const person_info& p, const structure_info* s)
    {
        const json::array* telecoms = array_at(resource, "telecom");
        if (!telecoms)
            return;
        for (const auto& t : *telecoms)
        {
            const json::object* telecom = t.if_object();
            mailbox_metadata m;
            if (!telecom || !read_mailbox(*telecom, m))
                continue;
            if (m.liste_rouge)
            {
                ++page_.liste_rouge;
                continue;
            }
            const auto address = domain::email_address::parse(string_at(*telecom, "value"));
            const auto type = domain::parse_mailbox_type(m.type);
            if (!address || !type)
            {
                ++page_.invalid;
                continue;
            }
            entry e;
            e.address = address->str();
            std::string key = e.address;
            for (char& c : key) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            if (!seen_.insert(std::move(key)).second)
                continue;
            e.type = *type;
            e.holder = holder_of(*type);
            e.civility = p.civility;
            e.family_name = p.family;
            e.given_name = p.given;
            e.profession_category = p.category;
            e.profession = p.profession;
            e.specialty = p.specialty;
            e.identifiers.person_kind = p.person_kind;
            e.identifiers.person = p.person;
            e.identifiers.national_person = p.national_person;
            if (s)
            {
                e.organisation = s->organisation;
                e.trade_name = s->trade_name;
                e.address_lines = s->lines;
                e.postal_code = s->postal_code;
                e.city = s->city;
                e.department = s->department;
                e.country = s->country;
                e.identifiers.structure_kind = s->structure_kind;
                e.identifiers.structure = s->structure;
            }
            e.service = m.service;
            e.description = m.description;
            e.responsible = m.responsible;
            e.phone = m.phone;
            page_.entries.push_back(std::move(e));
        }
    }

    bundle_page& page_;
    std::unordered_map<std::string, const json::object*> by_reference_;
    std::unordered_set<std::string> seen_;  // addresses, compared without regard to case
};

}  // namespace

boost::system::result<bundle_page> decode_bundle(std::string_view text, diagnostics& diag,
                                                 const decode_options& options)
{
    diag.clear();
    if (text.size() > options.max_bytes)
    {
        diag.set_client_message("the directory response is " + std::to_string(text.size()) +
                                " bytes long, above the limit of " + std::to_string(options.max_bytes));
        return make_error_code(errc::fhir_too_large);
    }
    json::monotonic_resource memory;
    json::parse_options parse_options;
    parse_options.max_depth = options.max_depth;
    json::parser parser(json::storage_ptr(), parse_options);
    parser.reset(&memory);
    boost::system::error_code json_ec;
    const std::size_t consumed = parser.write(text.data(), text.size(), json_ec);
    if (json_ec)
    {
        diag.set_position({consumed, 0, 0});
        diag.set_client_message("the directory response is not well-formed JSON at byte " +
                                std::to_string(consumed) + ": " + json_ec.message());
        return make_error_code(errc::fhir_malformed_json);
    }
    const json::value root = parser.release();

    const auto not_a_bundle = [&](std::string message)
    {
        diag.set_client_message(std::move(message));
        return make_error_code(errc::fhir_not_a_bundle);
    };
    const json::object* bundle = root.if_object();
    if (!bundle)
        return not_a_bundle("the directory response is not a JSON object");
    const std::string_view resource_type = string_at(*bundle, "resourceType");
    if (resource_type == "OperationOutcome")
    {
        // The server's explanation of a refusal: its text, which may quote the query.
        std::string text_of_issues;
        if (const json::array* issues = array_at(*bundle, "issue"))
        {
            for (const auto& i : *issues)
            {
                const json::object* issue = i.if_object();
                const std::string_view d = issue ? string_at(*issue, "diagnostics") : std::string_view();
                if (!d.empty())
                    text_of_issues += (text_of_issues.empty() ? "" : "; ") + std::string(d);
            }
        }
        diag.set_server_message(std::move(text_of_issues));
        return not_a_bundle("the directory answered with an OperationOutcome instead of a Bundle");
    }
    if (resource_type != "Bundle")
        return not_a_bundle("the directory response is not a FHIR Bundle");
    if (string_at(*bundle, "type") != "searchset")
        return not_a_bundle("the directory response is a Bundle, but not of type searchset");

    bundle_page page;
    if (const json::value* total = bundle->if_contains("total"))
    {
        if (total->is_uint64())
            page.total = static_cast<std::size_t>(total->get_uint64());
        else if (total->is_int64() && total->get_int64() >= 0)
            page.total = static_cast<std::size_t>(total->get_int64());
    }
    if (const json::value* links = bundle->if_contains("link"))
    {
        if (!links->is_array())
            return not_a_bundle("the Bundle's link member is not an array");
        for (const auto& l : links->get_array())
        {
            const json::object* link = l.if_object();
            if (link && string_at(*link, "relation") == "next")
                page.next_url = string_at(*link, "url");
        }
    }
    const json::value* entries = bundle->if_contains("entry");
    if (!entries)
        return page;
    if (!entries->is_array())
        return not_a_bundle("the Bundle's entry member is not an array");

    // Two passes: references (PractitionerRole → Practitioner, Organization) may point forward.
    bundle_reader reader(page);
    std::vector<const json::object*> resources;
    for (const auto& e : entries->get_array())
    {
        const json::object* item = e.if_object();
        const json::object* resource = item ? object_at(*item, "resource") : nullptr;
        if (!resource)
            return not_a_bundle("a Bundle entry has no resource object");
        reader.index(*resource, string_at(*item, "fullUrl"));
        resources.push_back(resource);
    }
    for (const json::object* resource : resources) reader.read(*resource);
    return page;
}

}  // namespace mss::directory::fhir
