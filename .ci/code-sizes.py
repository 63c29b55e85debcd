#!/usr/bin/env python3
"""Longest files and functions under src/ (functions found by brace matching on `fn` items).

Usage: python3 .ci/code-sizes.py [SRC_DIR]
"""
import re, sys
from pathlib import Path
src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
files = sorted(((len(p.read_text().splitlines()), str(p)) for p in src.rglob("*.rs")), reverse=True)
print("longest files:", files[:5])
funcs = []
for p in src.rglob("*.rs"):
    lines = p.read_text().splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*(pub(\([a-z]+\))? )?(async )?fn \w+", line):
            depth, started = 0, False
            for j in range(i, len(lines)):
                depth += lines[j].count("{") - lines[j].count("}")
                if "{" in lines[j]: started = True
                if started and depth <= 0:
                    funcs.append((j - i + 1, f"{p}:{i+1} {line.strip()[:60]}"))
                    break
                if not started and lines[j].rstrip().endswith(";"):
                    break
funcs.sort(reverse=True)
print("longest functions:")
for n, where in funcs[:8]:
    print(f"  {n:4} {where}")
