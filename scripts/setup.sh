#!/usr/bin/env bash
# Installs everything mplsec needs to build and test, from Debian's packages.
# Idempotent: when every package is already present it only checks and exits.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  verilator libsystemc-dev yosys
  libxrt-dev uuid-dev
  libboost-program-options-dev
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  libyaml-cpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev
  libssl-dev openssl libpcap-dev
  python3-cryptography-vectors
  tshark iproute2
  clang libclang-rt-14-dev
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# tshark asks whether non-root users may capture; answer no without a prompt.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
