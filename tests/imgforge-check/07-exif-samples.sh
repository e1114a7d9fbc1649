# Real camera and phone JPEGs (shared data, skipped when absent): the
# metadata checks raise nothing on untouched originals.  Some of these
# files were processed by desktop software and say so (GIMP, Photoshop,
# Fireworks, Nikon Transfer, Windows Photo Gallery, CAMEDIA Master...):
# the sidecar lists, file by file, what was found, each checked by hand
# against exiftool's reading of the same metadata.
. "$top_srcdir/tests/lib.sh"
skip_unless_data images/exif-samples/jpg
cd "$shared_data/images/exif-samples/jpg" || exit 1
imgforge-check -j 1 --json --checks meta,dqt . >"$OLDPWD/out" 2>"$OLDPWD/err"
cd "$OLDPWD" || exit 1
expect_records out
jq -r 'select(.type == "image") | "\(.path) \(.verdict) \([.findings[] | "\(.check)/\(.severity)"] | join(","))"' out
jq -r 'select(.type == "error") | "error \(.path) \(.message)"' out
