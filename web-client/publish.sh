#!/usr/bin/env bash
# Prepares the built client in DIR (wasm-bindgen's rostrum.js and rostrum_bg.wasm, and the
# hand-written index.html, boot.js and style.css) for slow links, as the server serves it
# (server/src/api/web.rs):
# - every file but index.html gets the first 16 hex digits of its SHA-256 in its name, so that it
#   can be cached for a year: a new build is a new name. boot.js is renamed after the names it
#   imports are put in it, and index.html names the renamed boot.js and style.css;
# - every file gets a brotli (.br) and a gzip (.gz) twin, built once here rather than per request;
# - a table of each file's size raw, gzipped and in brotli, and of the first load: the page, the
#   style, the boot script, the glue and the module.
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
rename rostrum_bg.wasm boot.js
rename rostrum.js boot.js
rename boot.js index.html
rename style.css index.html

for file in *; do
    gzip -9 -n -k -f "$file"
    brotli -q 11 -f -o "$file.br" "$file"
done

size() { stat -c %s "$1"; }
printf '%-36s %10s %10s %10s\n' file bytes gzip brotli
total=(0 0 0)
for file in index.html style.*.css boot.*.js rostrum.*.js rostrum_bg.*.wasm; do
    sizes=("$(size "$file")" "$(size "$file.gz")" "$(size "$file.br")")
    printf '%-36s %10s %10s %10s\n' "$file" "${sizes[@]}"
    for i in 0 1 2; do total[i]=$((total[i] + sizes[i])); done
done
printf '%-36s %10s %10s %10s\n' "first load (every screen)" "${total[@]}"
