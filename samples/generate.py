#!/usr/bin/python3
"""Generate the forgekit sample case into samples/ (images, letters, chats).

Run with Debian's interpreter:  /usr/bin/python3 samples/generate.py
Needs python3-pil (9.4) and fonts-noto-cjk. Every random choice comes from a fixed seed and
no writer stores a clock time, so two runs give byte-identical files.
"""

import os
import shutil
import sys

sys.dont_write_bytecode = True          # keep samples/ free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from genlib import chats, images, letters, readme  # noqa: E402


def fresh_dir(name):
    """Remove and recreate one generated folder, so stale files never linger."""
    path = os.path.join(HERE, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def move_truth_aside():
    """The evidence folders hold only evidence: a tool pointed at samples/images or
    samples/chats must not analyse the answer key.  Truth, masks and the sample
    lexicon move to samples/truth/ and samples/lexicon.tsv."""
    truth = fresh_dir("truth")
    for folder in ("images", "letters", "chats"):
        os.replace(os.path.join(HERE, folder, "truth.json"),
                   os.path.join(truth, folder + ".json"))
    os.replace(os.path.join(HERE, "images", "masks"), os.path.join(truth, "masks"))
    os.replace(os.path.join(HERE, "chats", "lexicon.tsv"), os.path.join(HERE, "lexicon.tsv"))


def main():
    img_truth = images.build(fresh_dir("images"))
    letter_truth = letters.build(fresh_dir("letters"))
    chat_truth = chats.build(fresh_dir("chats"))
    move_truth_aside()
    readme.write(os.path.join(HERE, "README.md"), img_truth, letter_truth, chat_truth)


if __name__ == "__main__":
    main()
