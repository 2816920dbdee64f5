#include "render/model_json.h"

namespace risksync {

nlohmann::json model_to_json(const Analysis& analysis, const Assessment& assessment,
                             const StatusSource& source) {
  using nlohmann::json;
  json stories = json::array();
  for (std::size_t i = 0; i < analysis.stories.size() && i < assessment.stories.size(); ++i) {
    const AbuserStory& story = analysis.stories[i];
    const StoryAssessment& sa = assessment.stories[i];
    json measures = json::array();
    for (const auto& key : story.possible_measures) {
      const Measure* m = analysis.find_measure(key);
      measures.push_back({{"key", key},
                          {"kind", m ? to_string(m->kind) : "unspecified"},
                          {"status", to_string(assessment.status_of(key))}});
    }
    json likelihood = {{"current", to_int(sa.current)},
                       {"residual", to_int(sa.residual)},
                       {"target", to_int(sa.target)}};
    if (story.written_residual) likelihood["written"] = to_int(*story.written_residual);
    json entry = {{"id", sa.id},
                  {"text", story.text},
                  {"attacker", story.attacker},
                  {"component", story.component},
                  {"gravity", to_int(sa.gravity)},
                  {"likelihood", json()},
                  {"zone", to_string(sa.zone_residual)},
                  {"zones",
                   {{"current", to_string(sa.zone_current)},
                    {"residual", to_string(sa.zone_residual)},
                    {"target", to_string(sa.zone_target)}}},
                  {"needs_review", sa.needs_review},
                  {"measures_done", sa.measures_done},
                  {"measures_total", sa.measures_total},
                  {"measures", json()},
                  {"line", story.where.line}};
    // Moved in, not copied: an initializer list copies every value it holds.
    entry["likelihood"] = std::move(likelihood);
    entry["measures"] = std::move(measures);
    stories.push_back(std::move(entry));
  }
  json measures = json::array();
  for (const auto& m : analysis.measures) {
    measures.push_back({{"key", m.key},
                        {"explicit_key", m.explicit_key},
                        {"text", m.text},
                        {"kind", to_string(m.kind)},
                        {"weight", m.weight},
                        {"status", to_string(assessment.status_of(m.key))},
                        {"stories", m.stories},
                        {"catalog_refs", m.catalog_refs},
                        {"line", m.where.line}});
  }
  json out = json::object();
  out["source"] = analysis.source_file;
  out["product"] = analysis.product;
  out["stories"] = std::move(stories);
  out["measures"] = std::move(measures);
  json from = json::object();
  from["from"] = source.from_tracker() ? "tracker" : "checkboxes";
  if (!source.tracker.empty()) from["tracker"] = source.tracker;
  if (source.from_tracker()) from["read_at"] = source.read_at;
  if (source.offline) from["offline"] = true;
  out["statuses_source"] = std::move(from);
  return out;
}

}  // namespace risksync
