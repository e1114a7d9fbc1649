# Keys across tools: a key pair made by OpenBSD signify without a
# passphrase (-n) signs a bundle here, and both signify and verify accept
# the signature; a signify key with a passphrase is refused with a clear
# message and nothing written; a secret key others can read is warned about.
. "$top_srcdir/tests/lib.sh"
command -v signify-openbsd >/dev/null || { echo "no signify-openbsd"; exit 77; }
mkdir ev
printf 'evidence\n' >ev/e.txt
common="--case-id T-13 --source-date-epoch 1767225600"
signify-openbsd -G -n -c "made by signify" -p s.pub -s s.sec || fail "signify -G -n failed"
expect_exit 0 case-bundle create -o case.tar --sign s.sec $common ev
expect_grep ', signed$' out
[ ! -s err ] || fail "unexpected diagnostic: $(cat err)"
expect_exit 0 case-bundle verify -k s.pub case.tar
expect_grep "^ok +signature +Ed25519 signature over tagmanifest-sha256.txt valid for 's.pub'" out
tar xf case.tar
signify-openbsd -V -q -p s.pub -m T-13/tagmanifest-sha256.txt -x T-13/tagmanifest-sha256.txt.sig ||
    fail "signify does not accept a signature made with its own key"
# the public key stored in the bag is signify's, byte for byte but the comment
[ "$(sed -n 2p T-13/case/signer.pub)" = "$(sed -n 2p s.pub)" ] ||
    fail "case/signer.pub is not the signer's key"
# a tampered tag manifest: signify and verify both refuse
printf 'x' >>T-13/tagmanifest-sha256.txt
signify-openbsd -V -q -p s.pub -m T-13/tagmanifest-sha256.txt -x T-13/tagmanifest-sha256.txt.sig 2>/dev/null &&
    fail "signify accepts a changed tag manifest"
expect_exit 1 case-bundle verify -k s.pub T-13
expect_grep '^FAIL +signature' out

# a secret key readable by others still signs, with a warning
cp s.sec open.sec
chmod 644 open.sec
expect_exit 0 case-bundle create -o open.tar --sign open.sec $common ev
expect_grep "open.sec': secret key is readable by others" err

# a passphrase-protected key (signify asks on the terminal: a pty answers)
if /usr/bin/python3 -c 'import pty' 2>/dev/null; then
	cat >answer.py <<'PY'
import os, pty, sys
pw = sys.argv[1].encode() + b"\n"
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
buf = b""
while True:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d:
        break
    buf += d
    if buf.rstrip().endswith(b"passphrase:"):
        os.write(fd, pw)
        buf = b""
_, st = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(st))
PY
	timeout 60 /usr/bin/python3 answer.py 'correct horse' signify-openbsd -G -p p.pub -s p.sec >/dev/null ||
	    fail "signify -G with a passphrase failed"
	expect_exit 2 case-bundle create -o p.tar --sign p.sec $common ev
	expect_grep "p.sec': passphrase-protected keys are not supported" err
	[ ! -e p.tar ] || fail "p.tar written with a key that was refused"
fi
echo "signify keys: ok"
