#!/usr/bin/env bash
# Prepares the built client in DIR (wasm-bindgen's rostrum-GROUP.js and rostrum-GROUP_bg.wasm for
# each group of screens, and the hand-written index.html, boot.js and style.css) for slow links,
# as the server serves it (server/src/api/web.rs):
# - each group gets its own page from the index.html template, naming that group's glue and module
#   in preload links, so that the browser fetches them as soon as the page arrives: live.html,
#   chair.html, and index.html for the pages (the server picks the page by the address);
# - every file but the pages gets the first 16 hex digits of its SHA-256 in its name, so that it
#   can be cached for a year: a new build is a new name, put in the pages that name the file;
# - every file gets a brotli (.br) and a gzip (.gz) twin, built once here rather than per request;
# - a table of each file's size raw, gzipped and in brotli, and of each group's first load: the
#   page, the style, the boot script, and that group's glue and module.
set -euo pipefail
dir=$1
cd "$dir"

hashed() { # hashed NAME: NAME with its content's hash before its extension
    local name=$1 hash
    hash=$(sha256sum "$name" | cut -c1-16)
    echo "${name%.*}.$hash.${name##*.}"
}
rename() { # rename NAME INTO...: hashes NAME and puts its new name in place of the old in INTO
    local name=$1 new
    new=$(hashed "$name")
    mv "$name" "$new"
    shift
    for into in "$@"; do
        grep -q "\"/$name\"" "$into" || { echo "publish.sh: $into does not name /$name" >&2; exit 1; }
        sed -i "s|\"/$name\"|\"/$new\"|g" "$into"
    done
}
groups=(live chair desk pages)
page() { # page GROUP: the name of the group's page
    if [ "$1" = pages ]; then echo index.html; else echo "$1.html"; fi
}
template=$(<index.html)
pages=()
for group in "${groups[@]}"; do
    printf '%s\n' "${template//GROUP/$group}" >"$(page "$group")"
    pages+=("$(page "$group")")
    rename "rostrum-${group}_bg.wasm" "$(page "$group")"
    rename "rostrum-$group.js" "$(page "$group")"
done
rename boot.js "${pages[@]}"
rename style.css "${pages[@]}"

for file in *; do
    gzip -9 -n -k -f "$file"
    brotli -q 11 -f -o "$file.br" "$file"
done

size() { stat -c %s "$1"; }
row() { printf '%-40s %10s %10s %10s\n' "$@"; }
sizes() { echo "$(size "$1") $(size "$1.gz") $(size "$1.br")"; }
row file bytes gzip brotli
for file in "${pages[@]}" style.*.css boot.*.js rostrum-*.js rostrum-*_bg.*.wasm; do
    row "$file" $(sizes "$file")
done
for group in "${groups[@]}"; do
    total=(0 0 0)
    for file in "$(page "$group")" style.*.css boot.*.js rostrum-"$group".*.js rostrum-"$group"_bg.*.wasm; do
        read -r -a s <<<"$(sizes "$file")"
        for i in 0 1 2; do total[i]=$((total[i] + s[i])); done
    done
    row "first load: $group" "${total[@]}"
done
