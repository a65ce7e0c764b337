#!/bin/sh
# Build the Debian test images: a root file system from Debian's archive
# (mmdebstrap, the slow step, cached on its own), and the ext4 disk image
# made from it with our kernels' modules, the modexcl package and the report
# unit added (the cheap step). Run as root; no loop mount is needed.
# Usage: scripts/mkimage.sh rootfs RELEASE OUT.tar
#            Debian RELEASE (bookworm, trixie) as a tarball, the packages of
#            scripts/debian/packages at the versions of scripts/debian/RELEASE.pins;
#            OUT.tar.manifest lists what it holds, name=version.
#        scripts/mkimage.sh pins RELEASE
#            refresh scripts/debian/RELEASE.pins to the archive's current versions
#        scripts/mkimage.sh image ROOTFS.tar OUT.img MODEXCL.deb MODULES_DIR...
#            OUT.img from ROOTFS.tar plus each MODULES_DIR/lib/modules/VERSION
#            (depmod'ed inside the image) and the tool's package (scripts/deb.sh),
#            installed with the image's own dpkg
set -eu
here=$(cd "$(dirname "$0")" && pwd)
deb=$here/debian
mirror=http://deb.debian.org/debian
security=http://deb.debian.org/debian-security
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

die() { echo "mkimage: $*" >&2; exit 1; }
usage() { sed -n 's/^# Usage: /usage: /p; s/^#        /       /p' "$0" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap and the image's file ownership need it)"

# bootstrap RELEASE OUT.tar PINS: mmdebstrap with PINS (a file of name=version
# lines, possibly empty) as apt preferences; writes OUT.tar.manifest.
bootstrap() {
	b_release=$1 b_tar=$2 b_pins=$3
	command -v mmdebstrap >/dev/null || die "mmdebstrap missing (make deps)"
	[ -r "$keyring" ] || die "$keyring missing (make deps: debian-archive-keyring)"
	include=$(sed 's/#.*//' "$deb/packages" | tr -s ' \n' '\n' | grep . | paste -sd, -)
	cache=$here/../build/debian/apt-cache/$b_release
	mkdir -p "$cache"
	prefs=$(mktemp)
	# A pin that the archive no longer has matches nothing, and apt takes
	# its candidate: the manifest comparison below says so.
	awk -F= '/^[^#]/ && NF == 2 {
		printf "Package: %s\nPin: version %s\nPin-Priority: 1001\n\n", $1, $2 }' "$b_pins" > "$prefs"
	rm -f "$b_tar" "$b_tar.tmp" "$b_tar.manifest"
	mmdebstrap --variant=essential --format=tar --include="$include" --keyring="$keyring" \
		--aptopt='Acquire::Retries "3"' \
		--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*' \
		--dpkgopt='path-include=/usr/share/doc/*/copyright' \
		--dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
		--setup-hook="mkdir -p \"\$1/etc/apt/preferences.d\" && cp '$prefs' \"\$1/etc/apt/preferences.d/modexcl-pins\"" \
		--setup-hook="mkdir -p \"\$1/var/cache/apt/archives\"" \
		--setup-hook="sync-in '$cache' /var/cache/apt/archives/" \
		--customize-hook="sync-out /var/cache/apt/archives '$cache'" \
		--customize-hook="rm \"\$1/etc/apt/preferences.d/modexcl-pins\"" \
		--customize-hook="$deb/rootfs-setup.sh \"\$1\" $b_release" \
		--customize-hook="chroot \"\$1\" dpkg-query -W -f='\${Package}=\${Version}\n' | LC_ALL=C sort > '$b_tar.manifest'" \
		"$b_release" "$b_tar.tmp" \
		"deb $mirror $b_release main" \
		"deb $mirror $b_release-updates main" \
		"deb $security $b_release-security main"
	rm -f "$prefs"
	mv "$b_tar.tmp" "$b_tar"
	# Keep only the .debs of this image: replaced ones would pile up.
	for f in "$cache"/*.deb; do
		n=${f##*/} && n=${n%_*.deb}
		grep -qxF "${n%%_*}=$(echo "${n#*_}" | sed 's/%3a/:/')" "$b_tar.manifest" || rm -f "$f"
	done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
rootfs)
	[ $# -eq 2 ] || usage
	release=$1 tar=$2 pins=$deb/$1.pins
	[ -r "$pins" ] || die "$pins missing: scripts/mkimage.sh pins $release writes it"
	mkdir -p "$(dirname "$tar")"
	start=$(date +%s)
	bootstrap "$release" "$tar" "$pins"
	echo "mkimage: $tar in $(($(date +%s) - start)) s ($(wc -l < "$tar.manifest") packages)"
	# Reproducible as far as the archive allows: say which pins it no
	# longer has (a point release or security update replaced them).
	drift=$(awk -F= 'FNR == NR { if (!/^#/) pin[$1] = $2; next }
		!($1 in pin) { printf "  %s: not pinned, got %s\n", $1, $2; next }
		pin[$1] != $2 { printf "  %s: pinned %s, got %s\n", $1, pin[$1], $2 }
		{ delete pin[$1] }
		END { for (p in pin) printf "  %s: pinned %s, not installed\n", p, pin[p] }' \
		"$pins" "$tar.manifest")
	if [ -n "$drift" ]; then
		echo "mkimage: WARNING: $release: the image differs from $pins:" >&2
		echo "$drift" >&2
		echo "mkimage: (the archive has replaced those versions); 'scripts/mkimage.sh pins $release' refreshes the pins" >&2
	fi
	;;
pins)
	[ $# -eq 1 ] || usage
	release=$1 pins=$deb/$1.pins
	tmp=$(mktemp -d)
	: > "$tmp/none"
	bootstrap "$release" "$tmp/rootfs.tar" "$tmp/none"
	{
		echo "# Debian $release test image: every package and its version, as"
		echo "# 'scripts/mkimage.sh pins $release' found them in the archive on $(date -u +%F)."
		cat "$tmp/rootfs.tar.manifest"
	} > "$pins"
	rm -rf "$tmp"
	echo "mkimage: wrote $pins ($(grep -vc '^#' "$pins") packages)"
	;;
image)
	[ $# -ge 4 ] || usage
	tar=$1 img=$2 pkg=$3
	shift 3
	start=$(date +%s)
	stage=$(cd "$(dirname "$img")" && pwd)/${img##*/}.d
	rm -rf "$stage" "$img" "$img.tmp"
	mkdir -p "$stage"
	tar -C "$stage" -xf "$tar"
	versions=
	for m in "$@"; do
		for v in "$m"/lib/modules/*; do
			[ -d "$v" ] || die "$m/lib/modules holds no kernel"
			mkdir -p "$stage/lib/modules"
			cp -a "$v" "$stage/lib/modules/"
			versions="$versions ${v##*/}"
		done
	done
	for v in $versions; do
		chroot "$stage" depmod -a "$v"
	done
	# The tool as a user installs it: its package, by the image's dpkg.
	cp "$pkg" "$stage/tmp/modexcl.deb"
	chroot "$stage" dpkg -i /tmp/modexcl.deb
	rm "$stage/tmp/modexcl.deb"
	"$deb/image-setup.sh" "$stage"
	# Room for the journal and what the boots write (a snapshot overlay
	# takes the writes, the image stays pristine).
	size=$(($(du -sm "$stage" | cut -f1) * 5 / 4 + 256))
	truncate -s "${size}M" "$img.tmp"
	mkfs.ext4 -q -F -L modexcl-root -U clear -d "$stage" "$img.tmp"
	rm -rf "$stage"
	mv "$img.tmp" "$img"
	echo "mkimage: $img (${size} MiB, kernels:$versions) in $(($(date +%s) - start)) s"
	;;
*) usage ;;
esac
