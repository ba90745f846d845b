"""Fills DIR with about BYTES of files for the benchmarks: half random, half text-like, so that gzip works
about as hard as on a real image. Usage: fill-tree.py DIR BYTES SEED"""
import os
import random
import sys

root, limit, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
total = 0
i = 0
while total < limit:
    d = os.path.join(root, "d%03d" % (i // 200))
    os.makedirs(d, exist_ok=True)
    size = rnd.choice([1024, 4096, 16384, 40960])
    data = os.urandom(size // 2) + (b"line of text %d\n" % i) * (size // 32)
    with open(os.path.join(d, "f%05d" % i), "wb") as f:
        f.write(data)
    total += len(data)
    i += 1
print("  %s: %d files, %d bytes" % (root, i, total))
