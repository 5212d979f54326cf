#include "mplsec/pcap_io.hpp"

#include <pcap/pcap.h>

#include <memory>

namespace mplsec::pcap {
namespace {

constexpr int kSnapLen = 65535;

struct PcapCloser {
    void operator()(pcap_t* p) const { pcap_close(p); }
};
struct DumperCloser {
    void operator()(pcap_dumper_t* d) const { pcap_dump_close(d); }
};

}  // namespace

std::vector<Frame> read_file(const std::string& path) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    std::unique_ptr<pcap_t, PcapCloser> handle(pcap_open_offline(path.c_str(), errbuf));
    if (!handle) throw PcapError(path + ": cannot read pcap: " + errbuf);
    if (pcap_datalink(handle.get()) != DLT_EN10MB)
        throw PcapError(path + ": link type " + std::to_string(pcap_datalink(handle.get())) +
                        " is not Ethernet (DLT_EN10MB)");
    std::vector<Frame> frames;
    for (;;) {
        pcap_pkthdr* header = nullptr;
        const u_char* data = nullptr;
        const int status = pcap_next_ex(handle.get(), &header, &data);
        if (status == PCAP_ERROR_BREAK) break;  // end of file
        if (status != 1)
            throw PcapError(path + ": record " + std::to_string(frames.size() + 1) + ": " + pcap_geterr(handle.get()));
        if (header->caplen < header->len)
            throw PcapError(path + ": record " + std::to_string(frames.size() + 1) + " holds " +
                            std::to_string(header->caplen) + " of " + std::to_string(header->len) +
                            " bytes (captured with a short snap length)");
        frames.emplace_back(data, data + header->caplen);
    }
    return frames;
}

void write_file(const std::string& path, const std::vector<Frame>& frames) {
    std::unique_ptr<pcap_t, PcapCloser> dead(pcap_open_dead(DLT_EN10MB, kSnapLen));
    if (!dead) throw PcapError(path + ": cannot create a pcap handle");
    std::unique_ptr<pcap_dumper_t, DumperCloser> dumper(pcap_dump_open(dead.get(), path.c_str()));
    if (!dumper) throw PcapError(path + ": cannot write: " + pcap_geterr(dead.get()));
    long usec = 0;
    for (const Frame& frame : frames) {
        pcap_pkthdr header{};
        header.ts.tv_sec = usec / 1000000;
        header.ts.tv_usec = usec % 1000000;
        ++usec;
        header.caplen = header.len = static_cast<bpf_u_int32>(frame.size());
        pcap_dump(reinterpret_cast<u_char*>(dumper.get()), &header, frame.data());
    }
    if (pcap_dump_flush(dumper.get()) != 0) throw PcapError(path + ": write failed");
}

}  // namespace mplsec::pcap
