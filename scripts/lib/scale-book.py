#!/usr/bin/env python3
"""Writes book/ scaled N times into a new folder, for scripts/bench.

Each article appears N times, copy k as c<k>-<file> (its id, and with it every heading and
note id, is then unique), its title marked "(k)". Each part lists its articles N times over,
so the reading order keeps the parts. book.yaml's other keys, the styles and images are
copied as they are. Only the edition's words are repeated; nothing is invented.

    scale-book.py BOOK N OUT
"""
import os
import re
import shutil
import sys


def main():
    book, times, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out)
    for name in os.listdir(book):
        source = os.path.join(book, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(out, name))
    with open(os.path.join(book, "book.yaml"), encoding="utf-8") as f:
        manifest = f.read().split("\n")
    result = []
    listing = None  # the indentation of the article list being read
    pending = []
    for line in manifest + [""]:
        item = re.match(r"^(\s*)- (\S+\.md)\s*$", line)
        if item and (listing is None or item.group(1) == listing):
            listing = item.group(1)
            pending.append(item.group(2))
            continue
        if pending:
            for k in range(1, times + 1):
                for name in pending:
                    result.append(f"{listing}- {copy_name(name, k, times)}")
            pending, listing = [], None
        result.append(line)
    with open(os.path.join(out, "book.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(result[:-1]))
    for name in os.listdir(book):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(book, name), encoding="utf-8") as f:
            text = f.read()
        for k in range(1, times + 1):
            copy = text if times == 1 else retitle(text, k)
            with open(os.path.join(out, copy_name(name, k, times)), "w", encoding="utf-8") as f:
                f.write(copy)


def copy_name(name, k, times):
    return name if times == 1 else f"c{k}-{name}"


def retitle(text, k):
    """The title of copy k ends with (k), in the front matter only."""
    def mark(match):
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            return f"{match.group(1)}{value[:-1]} ({k}){value[-1]}"
        return f"{match.group(1)}{value} ({k})"
    head, sep, body = text.partition("\n---")
    return re.sub(r"(?m)^(title:\s*)(.+?)\s*$", mark, head, count=1) + sep + body


if __name__ == "__main__":
    main()
