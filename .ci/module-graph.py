#!/usr/bin/env python3
"""Prints which top-level modules of src/ use which (from `crate::name` paths), and any cycle.

Usage: python3 .ci/module-graph.py [SRC_DIR]   (exit 1 when the graph has a cycle)
"""
import re
import sys
from pathlib import Path

src = Path(sys.argv[1] if len(sys.argv) > 1 else "src")
modules = sorted({p.stem if p.is_file() else p.name for p in src.iterdir()
                  if (p.suffix == ".rs" and p.stem not in ("lib", "main")) or p.is_dir()})
uses = {m: set() for m in modules}
for module in modules:
    files = [src / f"{module}.rs"] + sorted((src / module).rglob("*.rs"))
    for file in files:
        if not file.exists():
            continue
        text = file.read_text()
        # `use crate::{a, b::c}` and `crate::a::` anywhere (paths in code and `use`).
        names = set(re.findall(r"crate::(\w+)", text))
        for group in re.findall(r"crate::\{([^}]*)\}", text, re.S):
            names |= set(re.findall(r"(?:^|,)\s*(\w+)", group))
        uses[module] |= {n for n in names if n in uses and n != module}

for module in modules:
    print(f"{module:12} -> {', '.join(sorted(uses[module])) or '-'}")

# Strongly connected components (Tarjan): any with more than one module is a cycle.
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
def visit(v):
    index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
    for w in uses[v]:
        if w not in index:
            visit(w); low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        scc = []
        while True:
            w = stack.pop(); on.discard(w); scc.append(w)
            if w == v:
                break
        sccs.append(sorted(scc))
sys.setrecursionlimit(10000)
for m in modules:
    if m not in index:
        visit(m)
cycles = [s for s in sccs if len(s) > 1]
for scc in cycles:
    print(f"cycle of {len(scc)}: {', '.join(scc)}")
if not cycles:
    print("no cycle")
sys.exit(1 if cycles else 0)
