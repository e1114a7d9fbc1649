#!/bin/sh
# Builds the libFuzzer targets.
#
#   tests/fuzz/build.sh OUTDIR [TARGET...]
#
# Every tests/fuzz/fuzz-*.c is a target (or only the TARGETs named, as
# fuzz-common-u8 or fuzz-common-u8.c).  A target named fuzz-common-*.c
# links common/*.c; a target named fuzz-<tool>-*.c also links
# tools/<tool>/*.c except main.c, with the libraries that tool's local.mk
# names.  Everything is compiled with clang, ASan, UBSan (UB is fatal)
# and libFuzzer's coverage; objects go to OUTDIR/obj, binaries to OUTDIR.
# Nothing is written in the source tree.  Exit status 1 when a target
# failed to build (the others are still built).
set -u

usage() {
	echo "usage: tests/fuzz/build.sh OUTDIR [TARGET...]" >&2
	exit 2
}
[ $# -ge 1 ] || usage
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1" || exit 2
out=$(cd "$1" && pwd)
shift

CC=${CC:-clang}
SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
CFLAGS_FUZZ="-g -O1 -fno-omit-frame-pointer $SAN"
JOBS=${JOBS:-2}

# pkg-config module for each configure.ac variable (FK_REQUIRE([VAR], [module ...])).
pkg_of() {
	sed -n "s/^FK_REQUIRE(\[$1\], \[\([^] >]*\).*/\1/p" "$srcdir/configure.ac"
}
all_pkgs=$(sed -n 's/^FK_REQUIRE(\[[A-Z0-9_]*\], \[\([^] >]*\).*/\1/p' \
    "$srcdir/configure.ac")
[ -n "$all_pkgs" ] || { echo "build.sh: no FK_REQUIRE in configure.ac" >&2; exit 2; }
PKG_CFLAGS=$(pkg-config --cflags $all_pkgs) || exit 2
BASE_LIBS="$(pkg-config --libs libarchive libmagic libcrypto jansson libutf8proc) -lm -lpthread"

# A config.h like configure's, for code that includes it.
version=$(sed -n 's/^AC_INIT(\[[^]]*\], \[\([^]]*\)\].*/\1/p' "$srcdir/configure.ac")
mkdir -p "$out/include" "$out/obj"
cat > "$out/include/config.h.new" <<EOF
/* Written by tests/fuzz/build.sh for the fuzzing build. */
#define _GNU_SOURCE 1
#define PACKAGE "forgekit"
#define PACKAGE_NAME "forgekit"
#define PACKAGE_TARNAME "forgekit"
#define PACKAGE_VERSION "$version"
#define PACKAGE_STRING "forgekit $version"
#define PACKAGE_BUGREPORT ""
#define PACKAGE_URL ""
#define VERSION "$version"
#define HAVE_LIBM 1
EOF
if cmp -s "$out/include/config.h.new" "$out/include/config.h"; then
	rm -f "$out/include/config.h.new"
else
	mv "$out/include/config.h.new" "$out/include/config.h"
fi

# The tool whose name prefixes a target: fuzz-chatlog-grep-x -> chatlog-grep.
tool_of() {
	t=${1#fuzz-}
	best=
	for d in "$srcdir"/tools/*/; do
		d=${d%/}
		n=${d##*/}
		case $t in
		"$n"-*) [ ${#n} -gt ${#best} ] && best=$n ;;
		esac
	done
	echo "$best"
}

# -D flags from the tool's local.mk (<tool>_CPPFLAGS), make variables resolved.
tool_defines() {
	mk="$srcdir/tools/$1/local.mk"
	[ -f "$mk" ] || return 0
	grep -o "\-D[A-Za-z_][A-Za-z0-9_]*\(='[^']*'\|=[^ \\]*\)\?" "$mk" |
	    sed -e "s|\$(abs_top_srcdir)|$srcdir|g" \
	    -e "s|\$(top_srcdir)|$srcdir|g" \
	    -e "s|\$(pkgdatadir)|$srcdir/tools/$1|g" -e "s|'||g"
}

# Libraries named in the tool's LDADD ($(JPEG_LIBS) -> libjpeg, -lm as is).
tool_libs() {
	mk="$srcdir/tools/$1/local.mk"
	[ -f "$mk" ] || return 0
	mods=
	for v in $(grep '_LDADD' "$mk" | grep -o '\$([A-Z0-9]*_LIBS)' |
	    sed 's/^\$(\(.*\)_LIBS)$/\1/' | sort -u); do
		m=$(pkg_of "$v")
		[ -n "$m" ] && mods="$mods $m"
	done
	# The brief's known needs, in case a local.mk is behind its sources.
	case $1 in
	imgforge-check) mods="$mods libjpeg libpng libexif" ;;
	chatlog-grep) mods="$mods libhs opencc" ;;
	esac
	[ -n "$mods" ] && pkg-config --libs $mods
	grep '_LDADD' "$mk" | grep -o '\(^\| \)-l[A-Za-z0-9_]*' | tr '\n' ' '
}

# Compiles the .c files of one directory (but main.c) into OUTDIR/obj/NAME/.
# Headers a tool generates at build time (nodist_*_SOURCES in its local.mk)
# come from a private configured build directory, OUTDIR/build.
gen_headers() {
	mk="$srcdir/tools/$1/local.mk"
	[ -f "$mk" ] || return 0
	hdrs=$(sed -n 's/^nodist_[A-Za-z0-9_]*_SOURCES *+*= *//p' "$mk" |
	    tr ' \t' '\n\n' | grep '\.h$')
	[ -n "$hdrs" ] || return 0
	if [ ! -f "$out/build/Makefile" ]; then
		mkdir -p "$out/build"
		(cd "$out/build" && "$srcdir/configure" -q CC="$CC" >/dev/null) ||
		    return 1
	fi
	for h in $hdrs; do
		make -s -C "$out/build" "$h" || return 1
	done
}

# (POSIX sh has no local variables: cd_ names are this function's own.)
compile_dir() {
	cd_name=$1 cd_dir=$2
	shift 2
	mkdir -p "$out/obj/$cd_name"
	cd_fail=0
	cd_objs=
	for cd_c in "$cd_dir"/*.c; do
		[ -f "$cd_c" ] || continue
		[ "${cd_c##*/}" = main.c ] && continue
		cd_o="$out/obj/$cd_name/$(basename "$cd_c" .c).o"
		cd_objs="$cd_objs $cd_o"
		if [ ! -f "$cd_o" ] || [ "$cd_c" -nt "$cd_o" ] ||
		    [ -n "$(find "$cd_dir" "$srcdir/common" -name '*.h' \
		    -newer "$cd_o" 2>/dev/null)" ]; then
			echo "  CC       $cd_name/${cd_c##*/}"
			# shellcheck disable=SC2086
			$CC $CFLAGS_FUZZ -fsanitize=fuzzer-no-link -I"$out/include" \
			    -I"$srcdir/common" -I"$cd_dir" $PKG_CFLAGS "$@" \
			    -c "$cd_c" -o "$cd_o" || { rm -f "$cd_o"; cd_fail=1; }
		fi
	done
	echo "$cd_objs" > "$out/obj/$cd_name.list"
	return $cd_fail
}

if [ $# -eq 0 ]; then
	set -- "$srcdir"/tests/fuzz/fuzz-*.c
fi

status=0
compile_dir common "$srcdir/common" || { echo "build.sh: common/ failed to build" >&2; exit 1; }
done_tools=" "
for t in "$@"; do
	t=${t##*/}
	t=${t%.c}
	src="$srcdir/tests/fuzz/$t.c"
	if [ ! -f "$src" ]; then
		echo "build.sh: no such target: $src" >&2
		status=1
		continue
	fi
	libs=
	defs=
	tool=
	case $t in
	fuzz-common-*) ;;
	*)
		tool=$(tool_of "$t")
		if [ -z "$tool" ]; then
			echo "build.sh: $t: no tools/<tool>/ matches its name" >&2
			status=1
			continue
		fi
		defs="$(tool_defines "$tool") -I$out/build/tools/$tool"
		case $done_tools in
		*" $tool "*) ;;
		*)
			# shellcheck disable=SC2086
			if ! gen_headers "$tool" ||
			    ! compile_dir "$tool" "$srcdir/tools/$tool" $defs; then
				echo "build.sh: $t: tools/$tool failed to build" >&2
				status=1
				continue
			fi
			done_tools="$done_tools$tool "
			;;
		esac
		libs=$(tool_libs "$tool")
		;;
	esac
	objs=$(cat "$out/obj/common.list")
	[ -n "$tool" ] && objs="$objs $(cat "$out/obj/$tool.list")"
	echo "  CCLD     $t"
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS_FUZZ -fsanitize=fuzzer -I"$out/include" \
	    -I"$srcdir/common" ${tool:+-I"$srcdir/tools/$tool"} $PKG_CFLAGS $defs \
	    "$src" $objs $libs $BASE_LIBS -o "$out/$t"; then
		echo "build.sh: $t failed to build" >&2
		status=1
	fi
done
exit $status
