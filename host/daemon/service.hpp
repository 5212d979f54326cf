// The daemon's state and the API methods over it. Nothing here knows about
// sockets or framing: a request comes in decoded, with the caller's role,
// and a result (or an api::ApiError) goes out.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "access.hpp"
#include "mplsec/api_protocol.hpp"
#include "mplsec/config.hpp"
#include "mplsec/device.hpp"
#include "mplsec/sa_sequence.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::daemon {

class Service {
public:
    // `state_dir`: where the running image is kept across restarts ("":
    // nowhere; a restart then compiles positionally).
    Service(std::string config_path, std::string device_override, std::string state_dir);

    // Loads the config file, opens the device (the file's, else the
    // override, else drivers::default_device_spec()), and reconciles the
    // card with it against the image the last run saved. Throws
    // config::ConfigError for the file, std::exception otherwise.
    void start();

    // One request line in, one response line out (the socket layer's only
    // entry point). Never throws.
    std::string answer(const std::string& line, const Caller& caller);

    // Re-reads the config file and applies what changed; on error the card
    // keeps its tables. Throws api::ApiError.
    nlohmann::json reload();

    // Called now and then: a card that lost its tables behind the daemon's
    // back (reprogrammed or reset by another tool) no longer holds the
    // marker written into ctrl.SCRATCH when the tables went on; its tables
    // are put back (reconcile, diff logged). Throws std::exception when the
    // card cannot be read.
    void check_card();

    // Clean shutdown: saves every outbound SA's sequence floor.
    void stop();

private:
    using Handler = nlohmann::json (Service::*)(const nlohmann::json& params, const Caller& caller);
    struct Method {
        const char* name;
        Role needs;
        Handler handler;
    };
    static const Method* find_method(const std::string& name);

    nlohmann::json call(const api::Request& request, const Caller& caller);
    nlohmann::json do_status(const nlohmann::json& params, const Caller& caller);
    nlohmann::json do_apply(const nlohmann::json& params, const Caller& caller);
    nlohmann::json do_show(const nlohmann::json& params, const Caller& caller);
    nlohmann::json do_reload(const nlohmann::json& params, const Caller& caller);
    nlohmann::json do_load(const nlohmann::json& params, const Caller& caller);

    config::Config load_for_apply(const nlohmann::json& params, const Caller& caller) const;
    tables::TableImage compile(const config::Config& config);
    nlohmann::json change_to(const config::Config& config, bool dry_run);
    // Makes the card hold image_ whatever it holds now; logs and returns what differed.
    runtime::TableDiff reconcile_card(const tables::TableImage* previous, const char* why);
    void mark_card();
    std::string card_file(const char* prefix) const;
    std::string state_file() const;
    void save_state() const;

    // Outbound sequence numbers (sa_sequence.hpp): the floors kept in
    // sequence_file(), the decision for each sa entry a transaction of
    // `image` writes, and the periodic read of the card's live values.
    std::string sequence_file() const;
    void load_sequences();
    void forget_lost_history(const char* why);
    runtime::SaStartPolicy sa_start_for(const tables::TableImage& image);
    runtime::SaStart sa_start(const tables::TableImage& image, uint32_t index, const regs::SaEntry& entry);
    void save_sequences();
    void note_sequence(const runtime::SequenceRecord& record);
    void persist_sequences() const;

    std::string config_path_;
    std::string device_override_;
    std::string state_dir_;
    std::unique_ptr<drivers::Device> device_;
    std::string device_spec_;  // as opened: "sim", "xrt:0", "sim:/run/card.sock"
    drivers::Identity identity_{};
    config::Config config_;
    tables::TableImage image_;
    std::string applied_from_;  // what the running tables came from: the file, or an apply's name
    std::chrono::steady_clock::time_point started_;
    nlohmann::json last_reconcile_;  // {"why", "entries"} of the last reconcile
    uint32_t marker_ = 0;             // in ctrl.SCRATCH while the card holds our tables
    runtime::SequenceStore sequences_;
    std::map<std::string, std::string> refused_sas_;  // SA name -> why it is not on the card (needs a new key)
};

}  // namespace mplsec::daemon
