# Container and metadata findings on pictures crafted here: each clue an
# editor leaves is found, quoted, and given its severity.
. "$top_srcdir/tests/lib.sh"
# finding FILE CHECK SEVERITY: the JSON output of FILE has that finding.
finding() {
	imgforge-check --json --checks meta,dqt "$1" >out.json 2>err
	jq -es ".[1].findings | any(.check == \"$2\" and .severity == $3)" out.json >/dev/null ||
	    fail "$1: no $2 finding of severity $3: $(jq -sc '.[1].findings' out.json)"
}
none() {
	imgforge-check --json --checks meta,dqt "$1" >out.json 2>err
	jq -es '.[1].verdict == "no-evidence" and .[1].findings == []' out.json >/dev/null ||
	    fail "$1: expected no finding: $(jq -sc '.[1]' out.json)"
}
convert -size 120x90 gradient:white-navy -strip ppm:- >base.ppm
cjpeg -quality 90 base.ppm >cam.jpg
exiftool -q -overwrite_original -Make=Huawei -Model=P30 -DateTimeOriginal='2024:05:01 10:00:00' \
    -ModifyDate='2024:05:01 10:00:00' cam.jpg
none cam.jpg

cp cam.jpg sw.jpg; exiftool -q -overwrite_original -Software='Adobe Photoshop 25.0 (Windows)' sw.jpg
finding sw.jpg exif.software 2
cp cam.jpg late.jpg; exiftool -q -overwrite_original -ModifyDate='2024:06:11 09:00:00' late.jpg
finding late.jpg exif.datetime 2
jq -es '.[1].findings[0].detail.seconds_later == 3538800' out.json >/dev/null || fail "wrong interval"
cp cam.jpg canon.jpg; exiftool -q -overwrite_original -Make=Canon -Model='Canon EOS 80D' canon.jpg
finding canon.jpg exif.makernote 1

# A thumbnail of another picture: the picture changed after it was written.
convert -size 160x120 pattern:checkerboard -strip other.jpg
cp cam.jpg thumb.jpg; exiftool -q -overwrite_original '-ThumbnailImage<=other.jpg' thumb.jpg
finding thumb.jpg exif.thumbnail 3
imgforge-check --checks meta thumb.jpg >out; [ $? -eq 1 ] || fail "thumbnail: exit status"
expect_grep '^thumb.jpg: forged$' out
# ...while the camera's own thumbnail of the same picture matches.
convert base.ppm -resize 160x120 -strip own.jpg
cp cam.jpg ownthumb.jpg; exiftool -q -overwrite_original '-ThumbnailImage<=own.jpg' ownthumb.jpg
none ownthumb.jpg

cp cam.jpg xmp.jpg
exiftool -q -overwrite_original -XMP-xmp:CreatorTool='Adobe Photoshop 25.0 (Windows)' \
    -XMP-xmpMM:DocumentID='xmp.did:1111' -XMP-xmpMM:OriginalDocumentID='xmp.did:2222' \
    -XMP-xmpMM:HistoryAction=saved -XMP-xmpMM:HistorySoftwareAgent='Adobe Photoshop 25.0 (Windows)' xmp.jpg
finding xmp.jpg xmp.creatortool 2
finding xmp.jpg xmp.history 2
finding xmp.jpg xmp.derived 1
cp cam.jpg iptc.jpg; exiftool -q -overwrite_original -IPTC:Keywords=seal iptc.jpg
finding iptc.jpg jpeg.app13.photoshop 1

# APP13 with Photoshop's save-quality resource (0x0406), APP14 Adobe, COM:
# segments spliced in after SOI with octal escapes (portable printf).
splice() {	# splice OUT BYTES...
	out=$1; shift
	{ head -c 2 cam.jpg; printf "$@"; tail -c +3 cam.jpg; } >"$out"
}
splice ps.jpg '\377\355\000\040Photoshop 3.0\0008BIM\004\006\000\000\000\000\000\004\000\006\000\000'
finding ps.jpg jpeg.app13.photoshop 2
jq -es '.[1].findings[] | select(.check == "jpeg.app13.photoshop") | .detail.photoshop_quality == 10' out.json >/dev/null ||
    fail "photoshop quality not read: $(cat out.json)"
splice adobe.jpg '\377\356\000\016Adobe\000\144\000\000\000\000\001'
# (transform 1: YCbCr, which libjpeg never marks with APP14)
finding adobe.jpg jpeg.app14.adobe 1
cp cam.jpg com.jpg; exiftool -q -overwrite_original -Comment='Edited with GIMP 2.10' com.jpg
finding com.jpg jpeg.com 2

# After EOI: hidden data, or a second picture.
{ cat cam.jpg; printf 'secret payload appended after the image'; } >tail.jpg
finding tail.jpg jpeg.trailer 2
cat cam.jpg cam.jpg >two.jpg
finding two.jpg jpeg.soi.extra 2

# Quantisation: exact IJG quality, a hand-set pair, Photoshop's tables.
cjpeg -quality 77 base.ppm >q77.jpg
imgforge-check --json --checks dqt q77.jpg >out.json
jq -es '.[1].facts | .quantisation == "ijg q=77 exact" and .quality == 77' out.json >/dev/null ||
    fail "q77: $(jq -sc '.[1].facts' out.json)"
cjpeg -quality 90,60 base.ppm >pair.jpg
finding pair.jpg jpeg.dqt.pairing 1

# PNG: an editor's Software text, XMP, tIME; a phone screenshot has none.
convert -size 120x90 gradient:white-navy -strip shot.png
none shot.png
cp shot.png gimp.png; exiftool -q -overwrite_original -PNG:Software='GIMP 2.10' gimp.png
finding gimp.png png.text.software 2
cp shot.png pxmp.png; exiftool -q -overwrite_original -XMP-xmp:CreatorTool='Meitu 9.1' pxmp.png
finding pxmp.png xmp.creatortool 2
convert -size 120x90 gradient:white-navy timed.png
finding timed.png png.time 1
{ cat shot.png; printf 'appended'; } >ptail.png
finding ptail.png png.trailer 2

# Names: a PNG behind a .jpg name, unless WeChat named it so.
cp shot.png renamed.jpg
finding renamed.jpg file.extension 1
cp shot.png mmexport1700000000123.jpg
none mmexport1700000000123.jpg
jq -es '.[1].facts.wechat == {"pattern": "mmexport", "exported": "2023-11-14T22:13:20Z"}' out.json >/dev/null ||
    fail "wechat name: $(jq -sc '.[1].facts' out.json)"
