// libFuzzer target: any text as a configuration file. The loader must
// either return a Config or throw ConfigError; nothing else escapes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mplsec/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        (void)mplsec::config::load_string(text, "fuzz.yaml");
    } catch (const mplsec::config::ConfigError&) {
    }
    return 0;
}
