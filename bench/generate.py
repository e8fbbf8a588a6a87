#!/usr/bin/env python3
"""Writes a procedures folder of N files shaped like the bundled ones, for load and memory runs.

Usage: bench/generate.py N OUT [SOURCE]   (SOURCE defaults to procedures/)

OUT gets the bundled files (so `related` links resolve), categories.yaml and synonyms.txt, plus
N generated files: each copies a bundled file's front matter with a new id and new national codes
(the same codes replaced in `verified`), its title and summary extended with words drawn from the
bundled text, and its body rewritten line by line with as many words, drawn the same way, plus
made-up syllables that grow the vocabulary as a large corpus would. Deterministic: the same N
gives the same folder.
"""
import os
import random
import re
import shutil
import sys

ONSETS = "b c ch d đ g h kh l m n ng nh ph qu s t th tr v x".split()
RHYMES = "a à á ả ã ạ ăn ân em ênh iêu oa oai ôi ơn uân ưng ước yên ang inh ong ươi".split()
CODE = re.compile(r"\b\d\.\d{6}\b")


def main():
    count, out = int(sys.argv[1]), sys.argv[2]
    source = sys.argv[3] if len(sys.argv) > 3 else "procedures"
    rng = random.Random(0x9E3779B9)
    if os.path.exists(out):
        shutil.rmtree(out)
    shutil.copytree(source, out)
    templates = []
    words = []
    for category in sorted(os.listdir(source)):
        folder = os.path.join(source, category)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".md"):
                text = open(os.path.join(folder, name), encoding="utf-8").read()
                templates.append((category, text))
                # Words only: no YAML or Markdown punctuation, so generated lines stay plain text.
                body = text.split("---", 2)[-1]
                words.extend(w for w in (re.sub(r"[^\w]", "", w) for w in body.split()) if w)

    def word():
        if rng.randrange(20) == 0:
            return rng.choice(ONSETS) + rng.choice(RHYMES)
        return rng.choice(words)

    def sentence(n):
        return " ".join(word() for _ in range(max(n, 1)))

    for i in range(count):
        category, text = templates[i % len(templates)]
        _, front, body = text.split("---\n", 2)
        old_id = re.search(r"^id: (\S+)", front, re.M).group(1)
        new_id = f"{old_id}-s{i:05d}"
        codes = sorted(set(CODE.findall(re.search(r"^codes:.*$", front, re.M).group(0))))
        replace = {c: f"{9 - k}.{i:06d}" for k, c in enumerate(codes)}
        front = CODE.sub(lambda m: replace.get(m.group(0), m.group(0)), front)
        front = re.sub(r"^id: .*$", f"id: {new_id}", front, count=1, flags=re.M)
        for key in ("title", "summary"):
            front = re.sub(
                rf"^({key}: )(.*)$",
                lambda m: m.group(1) + m.group(2).strip("\"'") + " " + sentence(4),
                front,
                count=1,
                flags=re.M,
            )
        lines = []
        for line in body.split("\n"):
            if not line.strip() or line.startswith("#"):
                lines.append(line)
            else:
                lines.append(sentence(len(line.split())))
        path = os.path.join(out, category, new_id + ".md")
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n" + front + "---\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
