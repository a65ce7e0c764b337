#!/bin/sh
# Turn the assembled kernel tree into a mailable patch series against the
# pinned base, split as kernel/series-split says (its header describes the
# format): OUT_DIR/git holds the base (tag modexcl-base) and one commit per
# logical patch, OUT_DIR/patches the `git format-patch --cover-letter`
# output, the cover letter made from kernel/series-cover.txt with the
# get_maintainer.pl output of the series. With MODEXCL_BASE=next, the
# per-base files under kernel/next/ replace kernel/'s (scripts/base.sh).
# Usage: scripts/series.sh BASE_DIR TREE_DIR OUT_DIR
set -eu
[ $# -eq 3 ] || { echo "usage: $0 BASE_DIR TREE_DIR OUT_DIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cd "$1" && pwd)
tree=$(cd "$2" && pwd)
mkdir -p "$3"
out=$(cd "$3" && pwd)
. "$top/scripts/base.sh"
split=$(kfile series-split)
overlay=$tree/.modexcl-overlay
gt=$out/git
die() { echo "series: $*" >&2; exit 1; }
# with_base_text FILE: FILE with each line "@BASE_TEXT NAME@" replaced by this
# base's kernel/series-base/NAME.txt and "@BASE_VERSION@" by its version;
# runs of blank lines squeezed, so an empty text leaves no gap.
with_base_text() {
	while IFS= read -r line; do
		case $line in
		"@BASE_TEXT "*@)
			name=${line#@BASE_TEXT }
			name=${name%@}
			bt=$(kfile "series-base/$name.txt")
			[ -f "$bt" ] || die "$1: no $bt"
			cat "$bt"
			;;
		*) printf '%s\n' "$line" ;;
		esac
	done < "$1" | sed "s/@BASE_VERSION@/$BASE_VERSION/g" | cat -s
}
[ -f "$overlay" ] || die "$tree is not an assembled tree (no .modexcl-overlay)"

author=$(sed -n 's/^author[[:space:]]\{1,\}//p' "$split")
[ -n "$author" ] || die "no author line in $split"
GIT_AUTHOR_NAME=${author% <*}
GIT_AUTHOR_EMAIL=$(echo "$author" | sed 's/.*<\(.*\)>.*/\1/')
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
# The date of the checkout's last commit: the same checkout gives the same series.
GIT_AUTHOR_DATE=$(git -C "$top" log -1 --format=%cD 2>/dev/null || date -R)
GIT_COMMITTER_DATE=$GIT_AUTHOR_DATE
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
	GIT_AUTHOR_DATE GIT_COMMITTER_DATE

# The series tree: the base as one commit, kept between runs.
if git -C "$gt" rev-parse -q --verify modexcl-base >/dev/null 2>&1; then
	git -C "$gt" checkout -q -f --detach modexcl-base
	git -C "$gt" clean -q -f -d -x
else
	rm -rf "$gt" "$gt.tmp"
	cp -a "$base" "$gt.tmp"
	rm -f "$gt.tmp/.extracted"
	(cd "$gt.tmp" && git init -q && git config core.autocrlf false &&
		git add -A -f && git commit -q -m "Linux $(make -s kernelversion)" &&
		git tag modexcl-base)
	mv "$gt.tmp" "$gt"
fi
git -C "$gt" checkout -q -B modexcl

claimed=$out/claimed
: > "$claimed"
nn= msg=

put() { # SRC DEST: one file into the series tree and its index
	[ -f "$1" ] || die "patch $nn: no file $1"
	mkdir -p "$gt/$(dirname "$2")"
	rm -f "$gt/$2"
	cp "$1" "$gt/$2"
	git -C "$gt" add -f -- "$2"
}
take() { # PATH: a file of the assembled tree (or its stage-NN version)
	grep -qxF "$1" "$overlay" || die "patch $nn: $1 is not in the assembled overlay"
	stage=$(kfile "series-stages/$nn/$1")
	if [ -f "$stage" ]; then
		put "$stage" "$1"
		echo "$nn stage $1" >> "$claimed"
	else
		put "$tree/$1" "$1"
		echo "$nn final $1" >> "$claimed"
	fi
}
commit() {
	[ -n "$nn" ] || return 0
	git -C "$gt" diff --cached --quiet && die "patch $nn changes nothing"
	{ with_base_text "$msg"; printf '\nSigned-off-by: %s\n' "$author"; } |
		git -C "$gt" commit -q --cleanup=verbatim -F -
}

while read -r cmd rest; do
	case $cmd in
	''|'#'*|author) ;;
	patch)
		commit
		set -- $rest
		[ $# -eq 2 ] || die "bad line: patch $rest"
		nn=$1 msg=$(kfile "series-msg/$1-$2.txt")
		[ -f "$msg" ] || die "no commit message $msg"
		;;
	new)
		for p in $rest; do
			if grep -q "^$p/" "$overlay"; then
				grep "^$p/" "$overlay" | while read -r f; do take "$f"; done
			else
				take "$p"
			fi
		done
		;;
	edit)
		set -- $rest
		pf=$(kfile "patches/$1")
		[ -f "$pf" ] || die "patch $nn: no $pf"
		shift
		# No path: every file the patch edits.
		[ $# -gt 0 ] || set -- $(sed -n 's|^--- a/||p' "$pf")
		for p; do
			grep -qx -- "--- a/$p" "$pf" || die "patch $nn: $1 does not edit $p"
			take "$p"
		done
		;;
	map)
		set -- $rest
		put "$top/$1" "$2"
		echo "$nn map $2" >> "$claimed"
		;;
	diff)
		sd=$(kfile "series-stages/$nn/$rest")
		git -C "$gt" apply --index "$sd" || die "patch $nn: ${sd#"$top"/} does not apply"
		;;
	*) die "unknown directive '$cmd' in $split" ;;
	esac
done < "$split"
commit

# Every overlay file is in the series, and its last version is the final one.
missing=$(awk '{ print $3 }' "$claimed" | sort -u | comm -13 - "$overlay")
[ -z "$missing" ] || die "overlay files in no patch: $missing"
staged=$(awk '{ last[$3] = $2 } END { for (f in last) if (last[f] == "stage") print f }' "$claimed")
[ -z "$staged" ] || die "files left at a stage version: $staged"

# The patches and the cover letter.
rm -rf "$out/patches"
git -C "$gt" format-patch -q --cover-letter --thread -o "$out/patches" modexcl-base..modexcl
cover=$out/patches/0000-cover-letter.patch
ls "$out"/patches/*.patch | grep -v '/0000-cover-letter\.patch$' > "$out/patch-list"
(cd "$gt" && xargs ./scripts/get_maintainer.pl --no-git --no-git-fallback < "$out/patch-list") \
	> "$out/get_maintainer.txt"
with_base_text "$(kfile series-cover.txt)" > "$out/cover.txt"
sed 1d "$out/cover.txt" | sed '1{/^$/d;}' |
	awk -v gm="$out/get_maintainer.txt" '
		/^@GET_MAINTAINER@$/ { while ((getline l < gm) > 0) print "  " l; next }
		{ print }' > "$out/cover-body.txt"
awk -v subj="$(sed -n 1p "$out/cover.txt")" -v body="$out/cover-body.txt" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subj) }
	/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < body) > 0) print l; next }
	{ print }' "$cover" > "$cover.new"
mv "$cover.new" "$cover"
rm -f "$out/cover-body.txt" "$out/cover.txt"
# Nothing of a template left unfilled, in the cover letter or a message.
left=$(grep -l -E '\*\*\* (SUBJECT|BLURB) HERE \*\*\*|@(GET_MAINTAINER|BASE_TEXT|BASE_VERSION)' \
	"$out"/patches/*.patch || true)
[ -z "$left" ] || die "placeholders left in: $left"
echo "series: $(wc -l < "$out/patch-list") patches and a cover letter in $out/patches"
