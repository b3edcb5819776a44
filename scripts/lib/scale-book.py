#!/usr/bin/env python3
"""Writes book/ scaled N times into a new folder, for scripts/bench.

Each article appears N times, copy k as c<k>-<file> (its id, and with it every heading and
note id, is then unique), its title marked "(k)", and so is a heading that repeats the title.
Each part lists its articles N times over, so the reading order keeps the parts; each
acknowledgement that names an article is given for each of its copies, each correction for
copy 1.
book.yaml's other keys, the styles and images are copied as they are.

With N > 1 each copy's prose is varied, so that the copies are different texts, as the
articles of a larger edition are, not N times the same one (which a cache or a check for
repeated text would see through): in copy k, words of four letters or more are permuted
among the article's own words of the same length, by a permutation drawn for that article
and k (deterministic). A word is replaced everywhere in the copy by the same word, in the
same case (lower, Capitalized, UPPER), and two words by two different ones: what the
article repeats, each copy repeats, and nothing more. Lengths are kept, so every line and
column stays where it was. Markdown is left as it is: front matter, headings (their ids),
code, note labels, link addresses, HTML, URLs; so are words that appear in book.yaml or the
front matter (names, corrected text, hyphenation exceptions) and words written in mixed case
or with letters beyond ASCII. Copy k of an article has the same diagnostics as the article.

    scale-book.py BOOK N OUT
"""
import os
import random
import re
import shutil
import sys

ITEM = re.compile(r"^(\s*)- (\S+\.md)\s*$")
WORD = re.compile(r"[^\W\d_]+")
# Inline Markdown whose letters are not prose: code spans, note labels, link addresses and
# reference labels, HTML tags and autolinks, bare addresses, attributes, entities.
PROTECTED = re.compile(r"`[^`]*`|\[\^[^\]]*\]|\]\([^)]*\)|\]\[[^\]]*\]|<[^>]*>|https?://\S+|www\.\S+|\{[^}]*\}|&[A-Za-z0-9#]+;")


def main():
    book, times, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out)
    for name in os.listdir(book):
        source = os.path.join(book, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(out, name))
    with open(os.path.join(book, "book.yaml"), encoding="utf-8") as f:
        manifest_text = f.read()
    manifest = manifest_text.split("\n")
    articles = set()
    result = []
    listing = None  # the indentation of the article list being read
    pending = []
    for line in manifest + [""]:
        item = ITEM.match(line)
        if item and (listing is None or item.group(1) == listing):
            listing = item.group(1)
            pending.append(item.group(2))
            articles.add(item.group(2))
            continue
        if pending:
            for k in range(1, times + 1):
                for name in pending:
                    result.append(f"{listing}- {copy_name(name, k, times)}")
            pending, listing = [], None
        result.append(line)
    if times > 1:
        result = per_copy(result, articles, times)
    with open(os.path.join(out, "book.yaml"), "w", encoding="utf-8") as f:
        f.write("\n".join(result[:-1]))
    kept = {word.lower() for word in WORD.findall(manifest_text)}
    for name in sorted(os.listdir(book)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(book, name), encoding="utf-8") as f:
            text = f.read()
        variation = Variation(text, kept) if times > 1 else None
        for k in range(1, times + 1):
            copy = text if times == 1 else retitle(variation.copy(name, k), k)
            with open(os.path.join(out, copy_name(name, k, times)), "w", encoding="utf-8") as f:
                f.write(copy)


def copy_name(name, k, times):
    return name if times == 1 else f"c{k}-{name}"


def per_copy(lines, articles, times):
    """Each acknowledgement (`where:`) that names an article, once for each copy of it; each
    correction (`file:`), for copy 1 (the colophon's record is the edition's, and a
    correction per copy would pass book.yaml's limit of values at ×100)."""
    keys = {"corrections": "file", "acknowledgements": "where"}
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        block = re.match(r"^(corrections|acknowledgements):\s*$", line)
        if not block:
            continue
        key = keys[block.group(1)]
        while index < len(lines) and re.match(r"^\s+-\s", lines[index]):
            item = [lines[index]]
            index += 1
            while index < len(lines) and re.match(r"^\s+[^-\s]", lines[index]):
                item.append(lines[index])
                index += 1
            named = None
            for l in item:
                found = re.search(rf"\b{key}:\s*(\S+?\.md)\b", l)
                if found:
                    named = found.group(1)
                    break
            if named not in articles:
                out.extend(item)
                continue
            for k in range(1, times + 1 if key == "where" else 2):
                out.extend(re.sub(rf"\b{key}:(\s*){re.escape(named)}\b", f"{key}:\\g<1>{copy_name(named, k, times)}", l, count=1)
                           for l in item)
    return out


def retitle(text, k):
    """The title of copy k ends with (k), in the front matter; so does a heading that
    repeats the title, which keeps repeating it."""
    title = None

    def mark(match):
        nonlocal title
        value = match.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            title = value[1:-1]
            return f"{match.group(1)}{value[:-1]} ({k}){value[-1]}"
        title = value
        return f"{match.group(1)}{value} ({k})"
    head, sep, body = text.partition("\n---")
    head = re.sub(r"(?m)^(title:\s*)(.+?)\s*$", mark, head, count=1)
    if title:
        body = re.sub(rf"(?m)^(#{{2,6}} +){re.escape(title)}[ \t]*$", lambda m: f"{m.group(1)}{title} ({k})", body)
    return head + sep + body


def front_matter_and_body(text):
    if not text.startswith("---\n"):
        return "", text
    end = text.find("\n---", 4)
    if end < 0:
        return text, ""
    end = text.find("\n", end + 1)
    return (text, "") if end < 0 else (text[:end + 1], text[end + 1:])


def prose(body):
    """The body's runs of prose, as (start, end) offsets: lines outside fences, headings
    and HTML blocks, without the inline Markdown that is not prose."""
    runs = []
    fenced = False
    offset = 0
    for line in body.split("\n"):
        stripped = line.strip()
        start, offset = offset, offset + len(line) + 1
        if stripped.startswith("```") or stripped.startswith("~~~"):
            fenced = not fenced
            continue
        if fenced or re.match(r"^\s{0,3}(#{1,6}(\s|$)|<|\[(?!\^)[^\]]+\]:\s)", line):
            continue
        position = 0
        for match in PROTECTED.finditer(line):
            runs.append((start + position, start + match.start()))
            position = match.end()
        runs.append((start + position, start + len(line)))
    return runs


class Variation:
    """An article's prose words and how copy k permutes them (see the module's description)."""

    def __init__(self, text, kept):
        self.head, self.body = front_matter_and_body(text)
        self.runs = prose(self.body)
        words = [match.group(0) for a, b in self.runs for match in WORD.finditer(self.body, a, b)]
        fixed = set(kept) | {word.lower() for word in WORD.findall(self.head)}
        for word in words:
            if not (word.isascii() and len(word) >= 4 and case(word) is not None):
                fixed.add(word.lower())
        self.groups = {}
        for word in sorted({word.lower() for word in words} - fixed):
            self.groups.setdefault(len(word), []).append(word)

    def copy(self, name, k):
        chance = random.Random(f"{name}:{k}")
        mapping = {}
        for length in sorted(self.groups):
            group = self.groups[length]
            shuffled = group[:]
            chance.shuffle(shuffled)
            mapping.update(zip(group, shuffled))

        def replace(match):
            word = match.group(0)
            new = mapping.get(word.lower())
            if new is None:
                return word
            shape = case(word)
            return new.upper() if shape == "upper" else new.capitalize() if shape == "capital" else new
        body = self.body
        pieces = []
        position = 0
        for a, b in self.runs:
            pieces.append(body[position:a])
            pieces.append(WORD.sub(replace, body[a:b]))
            position = b
        pieces.append(body[position:])
        return self.head + "".join(pieces)


def case(word):
    if word.islower():
        return "lower"
    if word.isupper():
        return "upper"
    if word[0].isupper() and word[1:].islower():
        return "capital"
    return None


if __name__ == "__main__":
    main()
