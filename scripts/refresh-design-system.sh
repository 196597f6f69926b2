#!/bin/sh
# Refreshes the vendored NL Design System CSS in src/gemeentedelers/static/ from npm (the Cloud Functions build
# runs no npm, so the files are committed). Pass versions to move on, e.g.
#   scripts/refresh-design-system.sh 9.0.4 7.4.1
# then look at the pages (tests/browser, scripts/screenshots.py) and commit. Writes VERSIONS.md with what it took.
# Exit codes: 0 refreshed, 1 npm or tar failed.
set -eu

COMPONENTS_VERSION="${1:-9.0.4}"   # @utrecht/component-library-css (EUPL-1.2): the components' CSS
TOKENS_VERSION="${2:-7.4.1}"       # @nl-design-system-unstable/voorbeeld-design-tokens (EUPL-1.2): base tokens

HERE=$(cd "$(dirname "$0")/.." && pwd)
STATIC="$HERE/src/gemeentedelers/static"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fetch() {  # package version folder: unpack the npm tarball of package@version into $WORK/folder
    mkdir -p "$WORK/$3"
    (cd "$WORK" && npm pack --silent "$1@$2" >"$WORK/$3.name")
    tar xzf "$WORK/$(cat "$WORK/$3.name")" -C "$WORK/$3"
}

fetch @utrecht/component-library-css "$COMPONENTS_VERSION" components
fetch @nl-design-system-unstable/voorbeeld-design-tokens "$TOKENS_VERSION" tokens

cp "$WORK/components/package/dist/index.css" "$STATIC/utrecht-component-library.css"
cp "$WORK/components/package/dist/html.css" "$STATIC/utrecht-html.css"
cp "$WORK/components/package/LICENSE.md" "$STATIC/LICENSE-utrecht-component-library-css.md"
cp "$WORK/tokens/package/dist/theme.css" "$STATIC/voorbeeld-design-tokens.css"
cp "$WORK/tokens/package/LICENSE.md" "$STATIC/LICENSE-voorbeeld-design-tokens.md"

cat >"$STATIC/VERSIONS.md" <<VERSIONS
# Vendored NL Design System files

Copied from npm by \`scripts/refresh-design-system.sh\`; do not edit them here (the theme is \`gemeentedelers.css\`).

| file | npm package | version | licence |
|---|---|---|---|
| \`utrecht-component-library.css\` | \`@utrecht/component-library-css\` (\`dist/index.css\`) | $COMPONENTS_VERSION | EUPL-1.2 (\`LICENSE-utrecht-component-library-css.md\`) |
| \`utrecht-html.css\` | \`@utrecht/component-library-css\` (\`dist/html.css\`) | $COMPONENTS_VERSION | EUPL-1.2 (\`LICENSE-utrecht-component-library-css.md\`) |
| \`voorbeeld-design-tokens.css\` | \`@nl-design-system-unstable/voorbeeld-design-tokens\` (\`dist/theme.css\`) | $TOKENS_VERSION | EUPL-1.2 (\`LICENSE-voorbeeld-design-tokens.md\`) |

\`gemeentedelers.css\` (the project's own, EUPL-1.2) is the GemeenteDelers/VNG theme: it sets the tokens (colours
with AA contrast, font stack, a focus ring of 3:1 or more) on \`.gd-theme\` over the example tokens, and lays out
what the components do not cover. Pages load the four files in that order (\`templates/pages/base.html\`).
VERSIONS
echo "refresh-design-system: @utrecht/component-library-css $COMPONENTS_VERSION," \
     "@nl-design-system-unstable/voorbeeld-design-tokens $TOKENS_VERSION -> $STATIC"
