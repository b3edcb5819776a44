# Sourced by scripts/build and scripts/test: installs what is missing, and only that.
# Debian packages through apt, Python tools into .venv (owned by these scripts).

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
venv="$repo/.venv"

# C libraries with their headers, pkg-config, the PDF tools the tests read with, the text face
# print.css names, and a Java runtime for EPUBCheck.
apt_packages=(
  pkg-config libzip-dev libxml2-dev libcmark-gfm-dev libcmark-gfm-extensions-dev
  poppler-utils fonts-linuxlibertine libharfbuzz-subset0
)
# librsvg, cairo and libpng draw the raster cover in the process (the EPUB's cover-image and
# the feeds' thumbnail); libdeflate compresses the EPUB's entries. rsvg-convert (librsvg2-bin)
# only for the test that compares its pixels with ours.
apt_packages+=(librsvg2-2 libpng-dev libdeflate-dev librsvg2-bin)
# Calibre's ebook-meta: the tests read the EPUB's metadata as library apps show it (author,
# series and number, tags, cover). Debian has no smaller package with it (calibre-bin lacks it).
apt_packages+=(calibre)
# The web edition's tests: jing validates the OPDS catalogue against its RELAX NG schema,
# Chromium (headless) loads every page.
apt_packages+=(jing chromium)

# The release executable, built the one way scripts/build and scripts/bench build it: with the
# Swift runtime and Foundation linked in statically, as Swift's own guidance for Linux
# deployment has it. The dynamic loader then has ~20 libraries fewer to map and bind: a start
# costs about 13 ms of CPU instead of 22 (`edition --help`), which is a tenth of a clean build
# of book/. The outputs are the same bytes.
build_release() { swift build -c release --product edition --static-swift-stdlib "$@"; }

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1
  fi
}

install_apt_packages() {
  local missing=()
  for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  command -v java >/dev/null || missing+=(default-jre-headless)
  python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

install_python_tools() {
  local requirements="$repo/scripts/requirements.txt"
  local stamp="$venv/.requirements"
  if [ ! -x "$venv/bin/python3" ]; then
    log "creating $venv"
    python3 -m venv "$venv"
  fi
  if ! cmp -s "$requirements" "$stamp"; then
    log "installing Python tools: $(grep -v '^#' "$requirements" | cut -d' ' -f1 | xargs)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
  fi
}

# WeasyPrint is not patched here: edition runs it through its own driver
# (Sources/EditionKit/Pipeline/PDF/WeasyPrintDriver.swift), which applies its one fix to
# WeasyPrint's column layout at run time, so every way the tool runs WeasyPrint has it.

setup() {
  install_apt_packages
  install_python_tools
  export PATH="$venv/bin:$PATH"
  EPUBCHECK_JAR=$(find "$venv/lib" -path '*epubcheck/epubcheck.jar' | head -n 1)
  export EPUBCHECK_JAR
}
