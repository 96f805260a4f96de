#!/usr/bin/env python3
# Peer for the trust-space benchmark: the same work with Python's standard library
# (hashlib SHA-256 + xml.etree.ElementTree + a dict keyed by the lower-case domain).
# Prints "load_ms=<median>" and "lookups_per_s=<n>" like the mss harness.
import hashlib, random, sys, time
import xml.etree.ElementTree as ET

NS = "{https://listeblanche.mssante.fr/schema}"

def load(data, checksum):
    if hashlib.sha256(data).hexdigest() != checksum:
        raise SystemExit("checksum mismatch")
    # The published file lacks its root end tag: close it, as mss does.
    if b"</ListeBlancheMSSante>" not in data[-64:]:
        data = data + b"</ListeBlancheMSSante>"
    root = ET.fromstring(data)
    index = {}
    for d in root.iter(NS + "Domaine"):
        name = (d.findtext(NS + "Nom") or "").strip().lower()
        index.setdefault(name, []).append(d.findtext(NS + "DNCertificatOperateur"))
    return index

def main():
    data = open(sys.argv[1], "rb").read()
    checksum = open(sys.argv[2]).read().split()[0]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    lookups = int(sys.argv[4]) if len(sys.argv) > 4 else 2_000_000
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        index = load(data, checksum)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    rng = random.Random(42)
    names = list(index)
    queries = []
    for i in range(4096):
        n = names[rng.randrange(len(names))]
        queries.append("x" + n + ".evil.test" if i % 2 else (n.upper() if i % 4 == 0 else n))
    hits = 0
    t = time.perf_counter()
    for i in range(lookups):
        hits += queries[i & 4095].lower() in index
    seconds = time.perf_counter() - t
    print(f"entries={sum(len(v) for v in index.values())} hits={hits}")
    print(f"load_ms={times[len(times)//2]:.2f} (median of {runs})")
    print(f"lookups_per_s={lookups / seconds:.0f}")

main()
