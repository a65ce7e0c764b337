#!/bin/sh
# Generate docs/netlink-modexcl.rst from uapi/modexcl.yaml with the kernel's
# own tools/net/ynl/ynl-gen-rst.py (from the pristine base tree), then check
# every docs/*.rst with docutils when python3 has it: any warning fails.
# Sphinx-only roles (:ref:, :doc:, :c:func:...) are accepted unresolved, so
# the check covers the reStructuredText, not cross-references.
# Usage: scripts/docs.sh [BASE_TREE]   (default build/linux-base)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
base=$(cd "${1:-$top/build/linux-base}" && pwd)
gen=$base/tools/net/ynl/ynl-gen-rst.py
out=docs/netlink-modexcl.rst
[ -f "$gen" ] || { echo "docs: $gen missing (make docs extracts the base)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$gen" -i "$top/uapi/modexcl.yaml" -o "$tmp/netlink-modexcl.rst"
if cmp -s "$tmp/netlink-modexcl.rst" "$top/$out"; then
	echo "docs: $out is up to date"
else
	cp "$tmp/netlink-modexcl.rst" "$top/$out"
	echo "docs: wrote $out"
fi

if ! python3 -c 'import docutils' 2>/dev/null; then
	echo "docs: NOT CHECKED: python3 has no docutils (Debian: python3-docutils)"
	exit 0
fi
python3 - "$top"/docs/*.rst <<'EOF'
import sys
import docutils
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.utils import SystemMessage

def sphinx_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    return [nodes.literal(rawtext, text)], []

for role in ("ref", "doc", "c:func", "c:type", "c:macro", "manpage"):
    roles.register_local_role(role, sphinx_role)

class SphinxDirective(Directive):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = None

    def run(self):
        return []

for directive in ("toctree", "kernel-doc"):
    directives.register_directive(directive, SphinxDirective)

failed = 0
for path in sys.argv[1:]:
    name = "docs/" + path.rsplit("/", 1)[-1]
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        publish_doctree(text, source_path=name,
                        settings_overrides={"halt_level": 2, "report_level": 2})
        print(f"docs: {name}: clean (docutils {docutils.__version__}, "
              "halt at warning)")
    except SystemMessage:
        print(f"docs: {name}: FAILED (the warning above)", file=sys.stderr)
        failed += 1
sys.exit(1 if failed else 0)
EOF
