#include "mplsec/apply.hpp"

namespace mplsec::runtime {

ApplyReport apply_image(drivers::Device& device, const tables::TableImage& image) {
    ApplyReport report;
    for (const tables::TableWrite& w : image.writes) {
        device.write_entry(w.table, w.index, w.words);
        ++report.entries_written;
    }
    for (const tables::TableWrite& w : image.writes) {
        if (device.read_entry(w.table, w.index) != w.words)
            throw drivers::DeviceError(device.name() + ": table " +
                                       regs::kTables[static_cast<std::size_t>(w.table)].name + " entry " +
                                       std::to_string(w.index) + " reads back different from what was written");
    }
    for (const regs::ReasonInfo& reason : regs::kReasons)
        if (!reason.drop) device.set_policer(reason.code, image.policer_rate, image.policer_burst);
    return report;
}

}  // namespace mplsec::runtime
