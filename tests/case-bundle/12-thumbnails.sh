# --thumbnails: images appear in the evidence page as small JPEGs (at most
# 240 pixels wide), not as the originals; an image declaring more than 100
# million pixels is refused from its header, before any decoding, and is
# listed without a picture.
. "$top_srcdir/tests/lib.sh"
command -v python3 >/dev/null || { echo "no python3"; exit 77; }
mkdir ev
# a 1600x1200 PNG (noise, so it does not compress away) and a PNG whose
# header claims 20000x20000 pixels
python3 - <<'PY'
import os, struct, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
def png(path, w, h, rows):
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) +
                chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))
w, h = 1600, 1200
rnd = os.urandom(w * 3)
png("ev/big.png", w, h, b"".join(b"\0" + rnd[(y * 7) % 97:] + rnd[:(y * 7) % 97] for y in range(h)))
png("ev/huge.png", 20000, 20000, b"\0" * 64)
PY
# the same as JPEG, when cjpeg is there; and one whose frame header is
# patched to 30000x30000
if command -v cjpeg >/dev/null; then
	python3 -c '
import os
w, h = 1600, 1200
rnd = os.urandom(w * 3)
open("big.ppm", "wb").write(b"P6 %d %d 255\n" % (w, h) + rnd * h)'
	cjpeg -quality 90 big.ppm >ev/big.jpg
	python3 -c '
d = bytearray(open("ev/big.jpg", "rb").read())
i = d.index(b"\xff\xc0")
d[i + 5:i + 9] = (30000).to_bytes(2, "big") + (30000).to_bytes(2, "big")
open("ev/huge.jpg", "wb").write(d)'
	rm big.ppm
fi
expect_exit 0 case-bundle create -q -o case.tar --case-id T-1 --thumbnails \
    --source-date-epoch 1767225600 ev
expect_exit 0 case-bundle report -o page.html case.tar
nimg=$(ls ev | grep -c '^big')
python3 - "$nimg" <<'PY' || fail "thumbnails in page.html are wrong"
import base64, re, sys
page = open("page.html", encoding="utf-8").read()
uris = re.findall(r'data:(image/[a-z]+);base64,([A-Za-z0-9+/=]+)', page)
if len(uris) != int(sys.argv[1]):
    sys.exit("%d images in the page, expected %s" % (len(uris), sys.argv[1]))
for mime, b64 in uris:
    d = base64.b64decode(b64)
    if mime != "image/jpeg" or d[:3] != b"\xff\xd8\xff":
        sys.exit("not a JPEG thumbnail: " + mime)
    i = 2
    while i < len(d):      # walk the markers to the frame header
        m, n = d[i + 1], int.from_bytes(d[i + 2:i + 4], "big")
        if m in (0xc0, 0xc1, 0xc2):
            h = int.from_bytes(d[i + 5:i + 7], "big")
            w = int.from_bytes(d[i + 7:i + 9], "big")
            break
        i += 2 + n
    else:
        sys.exit("no frame header")
    if w != 240 or h != 180:
        sys.exit("thumbnail is %dx%d, expected 240x180" % (w, h))
    if len(d) > 64 * 1024:
        sys.exit("thumbnail of %d bytes" % len(d))
PY
# the page is far smaller than the images it shows
[ "$(wc -c <page.html)" -lt 400000 ] || fail "page.html is $(wc -c <page.html) bytes"
# the huge ones are listed, without a picture
grep -q 'huge.png' page.html || fail "huge.png not listed"
