#!/usr/bin/env python
"""Catalogue helper.

po.py untranslated FILE.po ...      list entries with no translation (or fuzzy); exit 1 if any
po.py fill FILE.po MAP.json         set msgstr from a {"msgid": "译文"} map (plural: list of forms); a key
                                    "context\u0004msgid" is for that context only and wins over the bare msgid
"""

import json
import sys

import polib


def untranslated(paths):
    missing = 0
    for path in paths:
        for entry in polib.pofile(path):
            if entry.obsolete:
                continue
            if entry.fuzzy or not entry.translated():
                missing += 1
                print(f"{path}: {entry.msgid!r}")
    return 1 if missing else 0


def fill(path, mapping_path):
    mapping = json.load(open(mapping_path, encoding="utf-8"))
    po = polib.pofile(path)
    for entry in po:
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in mapping and entry.msgctxt and f"{entry.msgctxt}\u0004{entry.msgid}" not in mapping:
            key = entry.msgid
        if key in mapping:
            value = mapping[key]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value]
                entry.msgstr_plural = {0: forms[0]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save(path)
    return untranslated([path])


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    sys.exit(untranslated(args) if command == "untranslated" else fill(*args))
