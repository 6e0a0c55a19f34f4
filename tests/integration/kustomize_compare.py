#!/usr/bin/env python3
"""Compares what kmc renders of a kustomization with what the reference kustomize builds.

Usage: kustomize_compare.py REFERENCE.yaml KMC.yaml
Both are YAML streams. The objects are compared as a set keyed by apiVersion, kind, namespace
and name; within an object, mappings by key and lists in order. Prints the first difference
(the object and the field path) and exits 1, or exits 0 when they are the same.
"""
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d is not None]
    objects = {}
    for d in docs:
        meta = d.get("metadata") or {}
        key = (d.get("apiVersion"), d.get("kind"), meta.get("namespace") or "", meta.get("name"))
        objects[key] = d
    return objects


def first_difference(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a:
                return f"{path}/{k}: only kmc has it ({b[k]!r})"
            if k not in b:
                return f"{path}/{k}: only kustomize has it ({a[k]!r})"
            d = first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}[{i}]")
            if d:
                return d
        if len(a) != len(b):
            return f"{path}: kustomize has {len(a)} items, kmc {len(b)}"
        return None
    if a != b or type(a) is not type(b):
        return f"{path}: kustomize {a!r}, kmc {b!r}"
    return None


def main():
    reference, rendered = load(sys.argv[1]), load(sys.argv[2])
    for key in sorted(set(reference) | set(rendered), key=str):
        name = "/".join(str(k) for k in key if k)
        if key not in rendered:
            print(f"{name}: kustomize builds it, kmc does not")
            return 1
        if key not in reference:
            print(f"{name}: kmc renders it, kustomize does not")
            return 1
        d = first_difference(reference[key], rendered[key], "")
        if d:
            print(f"{name}: {d}")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
