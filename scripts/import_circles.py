#!/usr/bin/env python3
"""Import circles between the modules of src/: module A uses B and B (directly or round
about) uses A. Prints each circle and exits 1 when there is one.

A module is a file (`src/ui/files.rs` is `ui::files`, `src/ui/app.rs` and the folder
`src/ui/app/` are `ui::app`). Uses are the `crate::…` and `super::…` paths in the code
(tests excluded); a child naming its parent only to reach a sibling or a re-export is
resolved to the module that defines the item when it can be found."""
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")


def module_of(rel):
    parts = rel[:-3].split("/")
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return "::".join(parts)


def code(text):
    i = text.find("#[cfg(test)]")
    text = text if i < 0 else text[:i]
    return re.sub(r"//[^\n]*", "", text)


modules = {}
for dirpath, _, files in os.walk(ROOT):
    for f in files:
        if f.endswith(".rs"):
            rel = os.path.relpath(os.path.join(dirpath, f), ROOT).replace(os.sep, "/")
            modules[module_of(rel)] = code(open(os.path.join(dirpath, f), encoding="utf-8").read())


def expand_use_groups(text):
    """`use crate::a::{b, c::d}` → ["crate::a::b", "crate::a::c::d"] (one level of braces)."""
    paths = []
    for m in re.finditer(r"\buse\s+((?:crate|super)(?:::\w+)*)::\{([^;]*?)\};", text, re.S):
        base = m.group(1)
        for item in re.split(r",(?![^{]*\})", m.group(2)):
            item = item.strip()
            if not item or item == "self":
                paths.append(base)
                continue
            item = re.sub(r"\{.*", "", item).strip(": ")
            paths.append(base + "::" + item.split(" as ")[0].strip())
    return paths


def resolve(start, path):
    """The longest known module that `path` (relative to `start` for super::) names."""
    parts = path.split("::")
    if parts[0] == "crate":
        parts = parts[1:]
    else:
        here = start.split("::") if start else []
        while parts and parts[0] == "super":
            here = here[:-1]
            parts = parts[1:]
        parts = here + parts
    for n in range(len(parts), 0, -1):
        name = "::".join(parts[:n])
        if name in modules:
            return name
    return None


edges = {m: set() for m in modules}
for m, text in modules.items():
    paths = re.findall(r"\b(?:crate|super)(?:::\w+)+", text) + expand_use_groups(text)
    for p in paths:
        target = resolve(m, p)
        if target and target != m and not m.startswith(target + "::") and target != "":
            edges[m].add(target)
        # A child using its parent's own items (not only re-exports) is a real edge too.
        elif target and m.startswith(target + "::") and target:
            edges[m].add(target)

# Parents declare their children (`mod x;`): that is not a use. A parent *using* a child
# and the child using the parent is a circle.
index = {}
low = {}
stack = []
on_stack = set()
circles = []
counter = [0]


def strongconnect(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on_stack.add(v)
    for w in edges[v]:
        if w not in index:
            strongconnect(w)
            low[v] = min(low[v], low[w])
        elif w in on_stack:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on_stack.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            circles.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in sorted(modules):
    if v not in index:
        strongconnect(v)

for c in circles:
    print("circle:", " <-> ".join(c))
print(f"{len(modules)} modules, {sum(len(e) for e in edges.values())} uses, {len(circles)} circles")
sys.exit(1 if circles else 0)
