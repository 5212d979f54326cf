// The running table image on disk. The daemon saves the image after every
// change it makes to the card; after a restart it compiles its config
// against the saved image (objects keep their indices) and reconciles the
// card against both, so a restart rewrites only what really changed and
// clears what the last run left behind.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "mplsec/table_image.hpp"

namespace mplsec::runtime {

// A saved image that cannot be used: names the file and the fault.
class ImageStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::json image_to_json(const tables::TableImage& image);
// Throws ImageStoreError for JSON that is not a saved image of this
// register map version (entry formats differ between versions).
tables::TableImage image_from_json(const nlohmann::json& json);

// Writes a temporary file beside `path` (mode 0600: the image holds SA
// keys), fsyncs it and renames it over, so a crash leaves the old image or
// the new one, never half of one.
void save_image(const std::string& path, const tables::TableImage& image);
// nullopt when there is no file; ImageStoreError when it cannot be used.
std::optional<tables::TableImage> load_image(const std::string& path);

}  // namespace mplsec::runtime
