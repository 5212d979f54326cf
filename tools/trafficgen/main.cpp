// mplsec-trafficgen: writes pcaps of traffic for the examples, so the
// demo and the benches have input without a capture at hand.
//   demo-core      labeled frames from the core for examples/pe1.yaml
//   demo-customer  customer frames arriving on examples/pe1.yaml's VRF port
#include <boost/program_options.hpp>

#include <iostream>

#include "frame_builder.hpp"
#include "mplsec/pcap_io.hpp"

namespace po = boost::program_options;
using mplsec::framegen::Bytes;
using mplsec::framegen::FrameBuilder;

namespace {

constexpr const char* kPe1Core = "02:00:00:00:01:01";
constexpr const char* kP = "02:00:00:00:10:00";
constexpr const char* kPe1Vrf = "02:00:00:00:01:00";
constexpr const char* kCe1 = "02:00:00:00:03:01";

std::vector<Bytes> demo_core() {
    auto labeled = [](uint32_t label, uint8_t ttl, const std::string& dst, std::size_t payload) {
        return FrameBuilder().eth(kPe1Core, kP).ethertype(0x8847).label(label, ttl, true)
            .ipv4_udp("10.2.0.5", dst, 60, payload).pad_to().build();
    };
    std::vector<Bytes> frames;
    frames.push_back(labeled(24000, 62, "10.1.0.7", 64));    // VPN label: pop, route in blue -> CE1
    frames.push_back(labeled(24000, 62, "10.1.200.1", 1200));
    frames.push_back(labeled(24002, 62, "10.1.0.9", 100));   // per-prefix label: pop to CE1, pipe
    frames.push_back(FrameBuilder().eth(kPe1Core, kP).ethertype(0x8847).label(24000, 62, true)
                         .ipv6_udp("2001:db8:b::5", "2001:db8:a::7", 60, 80).build());
    frames.push_back(labeled(24000, 1, "10.1.0.7", 64));     // TTL expires: punted for ICMP
    frames.push_back(labeled(999, 62, "10.1.0.7", 64));      // never advertised: no_label
    frames.push_back(labeled(24000, 62, "172.16.0.1", 64));  // default route: back to the core
    return frames;
}

std::vector<Bytes> demo_customer() {
    auto customer = [](const std::string& dst, uint8_t ttl, std::size_t payload) {
        return FrameBuilder().eth(kPe1Vrf, kCe1).vlan(10).ethertype(0x0800)
            .ipv4_udp("10.1.0.7", dst, ttl, payload).pad_to().build();
    };
    return {customer("10.2.0.9", 64, 64), customer("10.2.99.1", 64, 1400), customer("192.0.2.1", 64, 64),
            customer("8.8.8.8", 64, 64), customer("10.2.0.9", 1, 64)};
}

}  // namespace

int main(int argc, char** argv) {
    std::string profile, out;
    po::options_description options("usage: mplsec-trafficgen --profile NAME --out FILE.pcap\n\noptions");
    options.add_options()("help,h", "show this help")("profile", po::value(&profile)->required(),
                                                      "demo-core | demo-customer")(
        "out", po::value(&out)->required(), "pcap file to write");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        if (vm.count("help")) {
            std::cout << options << '\n';
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "mplsec-trafficgen: " << e.what() << '\n';
        return 2;
    }
    std::vector<Bytes> frames;
    if (profile == "demo-core") {
        frames = demo_core();
    } else if (profile == "demo-customer") {
        frames = demo_customer();
    } else {
        std::cerr << "mplsec-trafficgen: unknown profile '" << profile << "'\n";
        return 2;
    }
    try {
        mplsec::pcap::write_file(out, frames);
    } catch (const std::exception& e) {
        std::cerr << "mplsec-trafficgen: " << e.what() << '\n';
        return 1;
    }
    std::cout << "wrote " << frames.size() << " frames to " << out << '\n';
    return 0;
}
