#!/bin/sh
# Installs what forgekit needs on Debian 12, and nothing when it is all
# there already.  Run as root or with sudo available.
set -e
packages="build-essential autoconf automake pkg-config
libarchive-dev libmagic-dev libexif-dev libpng-dev libjpeg62-turbo-dev
libssl-dev libjansson-dev libvectorscan-dev libutf8proc-dev libopencc-dev
libgcrypt20-dev
opencc unicode-data
mandoc jq zip libjpeg-turbo-progs imagemagick exiftool signify-openbsd
clang libclang-rt-14-dev"
# exiftool is libimage-exiftool-perl in Debian.
packages=$(echo "$packages" | sed 's/\bexiftool\b/libimage-exiftool-perl/')
[ "$1" = "--bench" ] && packages="$packages ripgrep ugrep hyperfine simhash bc time"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
echo "installing:$missing" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
