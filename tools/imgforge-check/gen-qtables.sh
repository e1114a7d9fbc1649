#!/bin/sh
# Regenerates qtables.tsv: the quantisation-table signatures published in
# ExifTool's JPEGDigest module (Debian package libimage-exiftool-perl),
# each the MD5 of a file's DQT segments (joined by a NUL, in table-index
# order), optionally followed by ":" and the sampling factors of each
# component in hex, as ExifTool computes its JPEGDigest tag.  The IJG
# tables are not listed here: imgforge-check computes them for every quality.
#   usage: sh gen-qtables.sh [JPEGDigest.pm] > qtables.tsv
pm=${1:-/usr/share/perl5/Image/ExifTool/JPEGDigest.pm}
[ -r "$pm" ] || { echo "gen-qtables.sh: cannot read '$pm'" >&2; exit 1; }
printf '# digest[:sampling]\tencoder and setting (from ExifTool JPEGDigest.pm %s)\n' \
    "$(sed -n "s/^\$VERSION = '\(.*\)';/\1/p" "$pm")"
sed -n "s/^ *'\([0-9a-f]\{32\}\(:[0-9]*\)\{0,1\}\)' *=> *'\(.*\)',.*$/\1	\3/p" "$pm" |
    LC_ALL=C sort -u
