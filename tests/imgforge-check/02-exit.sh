# Exit status: 0 no evidence in any input, 1 evidence in one, 2 trouble (which wins).
. "$top_srcdir/tests/lib.sh"
convert -size 96x64 gradient:white-gray -strip clean.jpg
convert -size 96x64 gradient:white-gray -strip clean.png
convert -size 96x64 gradient:white-gray edited.png
exiftool -q -overwrite_original -PNG:Software='Adobe Photoshop 2024' edited.png
expect_exit 0 imgforge-check --checks meta,dqt clean.jpg clean.png
expect_lines 2 out
expect_grep '^clean.jpg: no-evidence$' out
expect_exit 1 imgforge-check --checks meta,dqt clean.jpg edited.png
expect_grep '^edited.png: suspicious$' out
expect_grep "^  png.text.software \(severity 2\): PNG text 'Software' names the image editor Adobe Photoshop$" out
expect_exit 2 imgforge-check --checks meta,dqt edited.png missing.jpg
expect_grep "cannot open 'missing.jpg'" err
echo 'just text' >notes.txt
expect_exit 2 imgforge-check --checks meta clean.jpg notes.txt
expect_grep "^imgforge-check: 'notes.txt': unsupported file type text/plain" err
