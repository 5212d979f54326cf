// Reading and writing Ethernet pcap files through libpcap.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace mplsec::pcap {

class PcapError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

using Frame = std::vector<uint8_t>;

// Every frame of an Ethernet (DLT_EN10MB) capture, in file order. Throws
// PcapError naming the file on anything else: missing, not a pcap,
// another link type, a truncated record, a frame cut short by the snap
// length.
std::vector<Frame> read_file(const std::string& path);

// Writes `frames` as an Ethernet capture (timestamps 1 µs apart, so tools
// keep the order). Throws PcapError.
void write_file(const std::string& path, const std::vector<Frame>& frames);

}  // namespace mplsec::pcap
