// mplsec-trafficgen: writes pcaps of traffic for the examples, so the
// demo and the benches have input without a capture at hand.
//   demo-core      labeled frames from the core for examples/pe1.yaml
//   demo-customer  customer frames arriving on examples/pe1.yaml's VRF port
//   tshark-check   varied frames for tests/tshark/pe.json, arriving on --port
//                  (0: the VRF port, 1: the core port); every IP frame's UDP
//                  destination port is 10000 * (port + 1) + its frame number
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


// ---- tshark-check: frames for tests/tshark/pe.json ------------------------
// The checker (tests/tshark/check_forwarding.py) works out what each frame
// should become from the config and tshark's dissection; nothing here says
// what the expected output is.
constexpr const char* kTsPort0 = "02:00:00:00:00:10";
constexpr const char* kTsPort1 = "02:00:00:00:01:10";
constexpr const char* kTsCore = "02:00:00:00:02:99";
constexpr const char* kTsCe = "02:00:00:00:03:99";

class TsFrames {
public:
    explicit TsFrames(int port) : port_(port) {}
    uint16_t marker() const { return static_cast<uint16_t>(10000 * (port_ + 1) + frames_.size()); }
    // Ethernet header as it arrives on this port: `tags` VLAN tags (0..3).
    FrameBuilder eth(int tags = -1) const {
        FrameBuilder b;
        b.eth(port_ == 0 ? kTsPort0 : kTsPort1, port_ == 0 ? kTsCe : kTsCore);
        if (tags < 0) tags = port_ == 0 ? 1 : 0;
        if (tags >= 2) b.vlan(200, 0x88a8);
        if (tags >= 3) b.vlan(300);
        if (tags >= 1) b.vlan(static_cast<uint16_t>(10 + frames_.size() % 7));
        return b;
    }
    struct Lbl { uint32_t label; uint8_t ttl; uint8_t tc; };
    // An IPv4 (v6 = false) or IPv6 UDP packet under `stack` (outermost first; empty: unlabeled).
    void ip(bool v6, const std::string& dst, uint8_t ttl, std::size_t payload, const std::vector<Lbl>& stack = {},
            uint8_t tos = 0, int tags = -1, std::size_t pad = 60) {
        FrameBuilder b = eth(tags);
        if (stack.empty()) {
            b.ethertype(v6 ? 0x86dd : 0x0800);
        } else {
            b.ethertype(0x8847);
            for (std::size_t i = 0; i < stack.size(); ++i)
                b.label(stack[i].label, stack[i].ttl, i + 1 == stack.size(), stack[i].tc);
        }
        const uint16_t m = marker();
        if (v6)
            b.ipv6_udp(port_ == 0 ? "2001:db8:a::99" : "2001:db8:99::5", dst, ttl, payload, tos, m);
        else
            b.ipv4_udp(port_ == 0 ? "10.1.0.99" : "10.99.0.5", dst, ttl, payload, tos, m);
        Bytes f = b.pad_to(60).build();
        for (std::size_t i = 0; f.size() < pad; ++i) f.push_back(static_cast<uint8_t>(0xa0 + i));  // a trailer
        frames_.push_back(f);
    }
    void raw(const Bytes& f) { frames_.push_back(f); }
    // IPv4 with a 4-byte option (IHL 6) and UDP (checksum 0) under `stack`.
    void ipv4_options(const std::string& dst, uint8_t ttl, uint8_t tos, const std::vector<Lbl>& stack) {
        FrameBuilder b = eth();
        b.ethertype(stack.empty() ? 0x0800 : 0x8847);
        for (std::size_t i = 0; i < stack.size(); ++i)
            b.label(stack[i].label, stack[i].ttl, i + 1 == stack.size(), stack[i].tc);
        Bytes inner = FrameBuilder().ipv4_udp("10.99.0.6", dst, ttl, 40, tos, marker()).build();
        Bytes h(inner.begin(), inner.begin() + 20);
        h[0] = 0x46;
        h[3] = static_cast<uint8_t>(h[3] + 4);
        h[6] = 0x40;  // DF
        h.resize(24);
        h[20] = h[21] = h[22] = 0x01;  // NOP NOP NOP EOL
        h[23] = 0x00;
        h[10] = h[11] = 0;
        const uint16_t sum = mplsec::framegen::ipv4_checksum(h.data(), h.size());
        h[10] = static_cast<uint8_t>(sum >> 8);
        h[11] = static_cast<uint8_t>(sum);
        inner[26] = inner[27] = 0;  // UDP checksum: none
        h.insert(h.end(), inner.begin() + 20, inner.end());
        frames_.push_back(b.raw(h).pad_to().build());
    }
    std::vector<Bytes> take() { return std::move(frames_); }

private:
    int port_;
    std::vector<Bytes> frames_;
};

std::vector<Bytes> tshark_check(int port) {
    TsFrames t(port);
    const uint8_t ttls[] = {255, 64, 2};
    const std::size_t sizes[] = {18, 200, 1100};
    const char* v4dst[] = {"10.1.0.7",   "10.1.2.9",   "10.2.0.1", "10.3.4.5",    "10.4.0.1", "10.5.0.1",
                           "10.6.0.1",   "172.20.1.1", "10.7.7.7", "10.7.7.8"};
    const char* v6dst[] = {"2001:db8:a::7", "2001:db8:a:1::9", "2001:db8:b::1", "2001:db8:c::1",
                           "2001:db8:d::1", "2001:db8:e::1"};
    if (port == 1) {
        // Swaps, S = 1 over IPv4/IPv6 and S = 0 over a second label.
        for (uint32_t label : {100u, 101u, 102u, 103u, 104u, 151u}) {
            int k = 0;
            for (uint8_t ttl : ttls) {
                const auto tc = static_cast<uint8_t>((label + k) % 8);
                const std::size_t size = sizes[k++ % 3];
                t.ip(false, "10.1.0.7", 33, size, {{label, ttl, tc}});
                t.ip(true, "2001:db8:a::7", 33, size, {{label, ttl, tc}}, 0x20);
                t.ip(false, "10.1.0.7", 33, size, {{label, ttl, tc}, {5000, 17, 3}});
            }
        }
        // Pops: to a label (S = 0) and PHP to IPv4/IPv6, uniform and pipe, to core and customer.
        for (uint32_t label : {110u, 111u, 120u, 121u, 1048575u}) {
            int k = 0;
            for (uint8_t ttl : ttls) {
                const auto tc = static_cast<uint8_t>((label + k) % 8);
                const std::size_t size = sizes[k++ % 3];
                t.ip(false, "10.2.0.1", 40, size, {{label, ttl, tc}}, 0xb8);
                t.ip(true, "2001:db8:b::1", 40, size, {{label, ttl, tc}}, 0x48);
                t.ip(false, "10.2.0.1", 40, size, {{label, ttl, tc}, {7000, 9, 6}});
                t.ip(true, "2001:db8:b::1", 40, size, {{label, ttl, tc}, {7001, 200, 1}, {7002, 100, 2}});
            }
        }
        // Pop-lookup into VRF blue, uniform (130) and pipe (131), every route and a miss.
        for (uint32_t label : {130u, 131u}) {
            int k = 0;
            for (const char* dst : v4dst) {
                t.ip(false, dst, static_cast<uint8_t>(30 + k), sizes[k % 3], {{label, ttls[k % 3], 3}},
                     static_cast<uint8_t>(k * 32 + 4));
                ++k;
            }
            for (const char* dst : v6dst) {
                t.ip(true, dst, static_cast<uint8_t>(50 + k), sizes[k % 3], {{label, ttls[k % 3], 1}},
                     static_cast<uint8_t>(k * 32 + 8));
                ++k;
            }
            t.ip(false, "8.8.8.8", 64, 30, {{label, 64, 0}});            // no route
            t.ip(true, "2001:db8:ff::1", 64, 30, {{label, 64, 0}});      // no route
            t.ip(false, "10.1.0.7", 1, 30, {{label, 64, 0}});            // IP TTL 1: expires in pipe only
            t.ip(true, "2001:db8:a::7", 1, 30, {{label, 64, 0}});
            t.ip(false, "10.1.0.7", 64, 30, {{label, 1, 0}});            // label TTL 1
            t.ip(false, "10.1.0.7", 64, 30, {{label, 0, 0}});            // label TTL 0
            t.ip(false, "10.2.0.1", 64, 30, {{label, 64, 0}, {24, 64, 0}});  // pop-lookup not at S = 1
        }
        // Label TTL expiry on every forwarding op.
        for (uint32_t label : {100u, 101u, 102u, 110u, 111u, 120u, 121u})
            for (uint8_t ttl : {1, 0}) t.ip(false, "10.1.0.7", 64, 30, {{label, ttl, 0}});
        // Special and unknown labels, actions, acceptance.
        t.ip(false, "10.9.0.1", 64, 30, {{132, 64, 0}});       // VRF red requires ESP
        t.ip(false, "10.1.0.7", 64, 30, {{140, 64, 0}});       // punt
        t.ip(false, "10.1.0.7", 64, 30, {{141, 64, 0}});       // drop
        t.ip(false, "10.1.0.7", 64, 30, {{150, 64, 0}});       // accepted on port 0 only
        t.ip(false, "10.1.0.7", 64, 30, {{999, 64, 0}});       // never advertised
        t.ip(false, "10.1.0.7", 64, 30, {{200000, 64, 0}});
        t.ip(false, "10.1.0.7", 64, 30, {{5, 64, 0}});         // reserved
        t.ip(false, "10.1.0.7", 64, 30, {{3, 64, 0}});         // implicit null on the wire
        t.ip(false, "10.1.0.7", 64, 30, {{1, 64, 0}, {100, 64, 0}});  // router alert
        t.ip(false, "192.0.2.1", 64, 30, {{0, 64, 0}});        // explicit null to the card
        t.ip(true, "2001:db8::1", 64, 30, {{2, 64, 0}});
        t.ip(false, "10.1.0.7", 64, 30, {{0, 64, 0}});         // explicit null, core port has no VRF
        t.ip(false, "10.1.0.7", 64, 30, {{0, 64, 0}, {100, 64, 0}});  // explicit null not at S = 1
        {
            std::vector<TsFrames::Lbl> deep;
            for (uint32_t i = 0; i < 9; ++i) deep.push_back({100 + i, 64, 0});
            t.ip(false, "10.1.0.7", 64, 30, deep);              // eight entries without S
            deep.resize(8);
            t.ip(false, "10.1.0.7", 64, 30, deep);              // S on the eighth: swap 100
        }
        // MTU of port 1 is 1500: swap 101 adds a label.
        t.ip(false, "10.1.0.7", 64, 1496 - 28 - 4, {{101, 64, 0}});   // 1500 after: sent
        t.ip(false, "10.1.0.7", 64, 1500 - 28 - 4, {{101, 64, 0}});   // 1504 after: mtu_exceeded
        // Unlabeled on the core port: only the card's own addresses are taken.
        t.ip(false, "192.0.2.1", 64, 40);
        t.ip(true, "2001:db8::1", 64, 40);
        t.ip(false, "224.0.0.5", 1, 40);
        t.ip(true, "ff02::5", 1, 40);
        t.ip(false, "10.1.0.7", 64, 40);                        // no VRF on port 1
        t.ip(false, "10.1.0.7", 64, 40, {}, 0, 1);
        t.ip(false, "10.1.0.7", 64, 40, {{100, 64, 0}}, 0, 2);  // two tags before the stack
        t.ip(false, "10.1.0.7", 64, 40, {{100, 64, 0}}, 0, 3);  // three tags: unknown ethertype
        t.ip(false, "10.1.0.7", 64, 500, {{100, 77, 0}}, 0, 0, 600);  // Ethernet padding carried along
        // IPv4 options (IHL 6): PHP, pop-lookup uniform and pipe, push.
        t.ipv4_options("10.1.0.7", 90, 0xa0, {{120, 50, 5}});
        t.ipv4_options("10.1.0.7", 90, 0xa0, {{121, 50, 5}});
        t.ipv4_options("10.3.0.1", 90, 0xe0, {{130, 50, 5}});
        t.ipv4_options("10.5.0.1", 90, 0x60, {{131, 50, 5}});
        // Jumbo frames: 9600 bytes is the largest the bus takes, 9601 is a bad frame.
        t.ip(false, "10.1.0.7", 77, 9600 - 14 - 4 - 28, {{120, 99, 0}});
        t.ip(true, "2001:db8:a::7", 77, 9600 - 14 - 4 - 48, {{131, 99, 0}});
        t.ip(false, "10.1.0.7", 77, 9601 - 14 - 4 - 28, {{120, 99, 0}});
        t.ip(false, "10.1.2.3", 77, 8000, {{130, 99, 0}}, 0x20);
    } else {
        // Customer traffic: every route, several TTLs, precedences, tagging.
        int k = 0;
        for (const char* dst : v4dst)
            for (uint8_t ttl : {255, 64, 2}) {
                t.ip(false, dst, ttl, sizes[k % 3], {}, static_cast<uint8_t>((k * 37) & 0xfc), k % 3);
                ++k;
            }
        for (const char* dst : v6dst)
            for (uint8_t ttl : {255, 64, 2}) {
                t.ip(true, dst, ttl, sizes[k % 3], {}, static_cast<uint8_t>((k * 37) & 0xfc), k % 3);
                ++k;
            }
        for (const char* dst : {"10.1.0.7", "10.4.0.1", "10.5.0.1", "172.16.0.1"})
            for (uint8_t ttl : {1, 0}) t.ip(false, dst, ttl, 30);  // TTL expiry
        for (const char* dst : {"2001:db8:b::1", "2001:db8:c::1"})
            for (uint8_t ttl : {1, 0}) t.ip(true, dst, ttl, 30);
        t.ip(false, "192.0.2.1", 64, 30);  // the card's own addresses and multicast
        t.ip(true, "2001:db8::1", 64, 30);
        t.ip(false, "192.0.2.1", 1, 30);
        t.ip(false, "224.0.0.5", 1, 30);
        t.ip(true, "ff02::5", 1, 30);
        t.ip(false, "8.8.8.8", 64, 30);    // no route
        t.ip(false, "10.7.7.6", 64, 30);
        t.ip(true, "2001:db8:ff::1", 64, 30);
        t.ip(true, "::1", 64, 30);
        // MTU of port 1 is 1500: three labels pushed.
        t.ip(false, "10.4.0.1", 64, 1488 - 28);  // 1500 after: sent
        t.ip(false, "10.4.0.1", 64, 1489 - 28);  // 1501 after: mtu_exceeded
        t.ip(true, "2001:db8:b::1", 64, 1492 - 48);
        t.ip(true, "2001:db8:b::1", 64, 1493 - 48);
        // Labels on the customer port: 150 and 151 are accepted here, 100 is not.
        t.ip(false, "10.1.0.7", 64, 30, {{150, 64, 2}});
        t.ip(false, "10.1.0.7", 64, 30, {{151, 9, 4}});
        t.ip(false, "10.1.0.7", 64, 30, {{100, 64, 0}});
        t.ip(false, "10.1.0.7", 64, 30, {{130, 64, 0}});
        t.ip(false, "10.1.0.7", 64, 30, {{0, 30, 0}});      // explicit null on a VRF port: routed
        t.ip(true, "2001:db8:b::1", 64, 30, {{2, 20, 0}});
        t.ip(false, "10.1.0.7", 64, 500, {}, 0, 1, 600);   // Ethernet padding carried along
        t.ipv4_options("10.3.0.1", 90, 0xa0, {});
        t.ipv4_options("10.1.0.7", 2, 0x00, {});
        t.ip(false, "10.1.0.7", 64, 9000, {}, 0x40, 0);    // jumbo to CE1, gains a VLAN tag
        t.ip(false, "10.2.0.1", 64, 9000, {}, 0x40, 0);    // too big for the core port
        // Bad frames: wrong checksum, short, unknown ethertype; ARP is punted.
        Bytes bad = t.eth().ethertype(0x0800).ipv4_udp("10.1.0.99", "10.1.0.7", 64, 30, 0, t.marker()).build();
        bad[14 + 4 + 10] ^= 0x5a;
        t.raw(bad);
        Bytes runt = t.eth().ethertype(0x0800).ipv4_udp("10.1.0.99", "10.1.0.7", 64, 10, 0, t.marker()).build();
        t.raw(runt);  // 56 bytes
        Bytes cut = t.eth().ethertype(0x0800).ipv4_udp("10.1.0.99", "10.1.0.7", 64, 100, 0, t.marker()).build();
        cut.resize(100);  // total_length says more than is there
        t.raw(cut);
        t.raw(t.eth().ethertype(0x88cc).raw(Bytes(50, 0x11)).build());
        t.raw(t.eth().ethertype(0x0806).raw(Bytes(46, 0x22)).build());
    }
    return t.take();
}

}  // namespace

int main(int argc, char** argv) {
    std::string profile, out;
    int port = 1;
    po::options_description options("usage: mplsec-trafficgen --profile NAME --out FILE.pcap\n\noptions");
    options.add_options()("help,h", "show this help")("profile", po::value(&profile)->required(),
                                                      "demo-core | demo-customer | tshark-check")(
        "out", po::value(&out)->required(), "pcap file to write")(
        "port", po::value(&port)->default_value(1), "tshark-check: ingress port, 0 or 1");
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
    } else if (profile == "tshark-check") {
        if (port != 0 && port != 1) {
            std::cerr << "mplsec-trafficgen: --port must be 0 or 1 for tshark-check\n";
            return 2;
        }
        frames = tshark_check(port);
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
