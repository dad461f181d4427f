using System.Text.Json;

namespace MLIntern.Training.Compute;

/// <summary>Parameters of a model and where the figure came from.</summary>
public sealed record ModelSize(string Model, long Parameters, string Source);

/// <summary>
/// Parameter counts of common fine-tuning checkpoints (the encoder without its classification
/// head, which adds hidden × classes — noise at this scale), and an estimate from a local
/// config.json. The sources are listed in docs/training.md.
/// </summary>
public static class ModelCatalog
{
    /// <summary>The table, by Hugging Face model id (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, long> Known { get; } = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase)
    {
        ["distilbert-base-uncased"] = 66_362_880,
        ["distilbert-base-cased"] = 65_190_912,
        ["distilbert/distilbert-base-uncased"] = 66_362_880,
        ["bert-base-uncased"] = 109_482_240,
        ["google-bert/bert-base-uncased"] = 109_482_240,
        ["bert-base-cased"] = 108_310_272,
        ["bert-large-uncased"] = 335_141_888,
        ["roberta-base"] = 124_645_632,
        ["FacebookAI/roberta-base"] = 124_645_632,
        ["roberta-large"] = 355_359_744,
        ["distilroberta-base"] = 82_118_400,
        ["xlm-roberta-base"] = 278_043_648,
        ["albert-base-v2"] = 11_683_584,
        ["microsoft/deberta-v3-small"] = 141_304_320,
        ["microsoft/deberta-v3-base"] = 183_831_552,
        ["microsoft/deberta-v3-large"] = 434_012_160,
        ["google/electra-small-discriminator"] = 13_548_800,
        ["google/electra-base-discriminator"] = 108_891_648,
        ["sentence-transformers/all-MiniLM-L6-v2"] = 22_713_216,
        ["answerdotai/ModernBERT-base"] = 149_014_272,
    };

    public static ModelSize? Lookup(string model) =>
        Known.TryGetValue(model, out var parameters) ? new ModelSize(model, parameters, "table") : null;

    /// <summary>
    /// Estimates a transformer encoder's parameters from its config.json: embeddings (vocabulary,
    /// positions, token types) × hidden size, and per layer 4h² + 4h (attention), 2·h·i + i + h (feed
    /// forward) and two layer norms. Returns null when the config lacks the sizes or is not JSON.
    /// </summary>
    public static ModelSize? FromConfig(string model, string configJson)
    {
        try
        {
            using var document = JsonDocument.Parse(configJson, new JsonDocumentOptions { MaxDepth = 64 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var hidden = Int(root, "hidden_size", "dim", "d_model", "n_embd");
            var layers = Int(root, "num_hidden_layers", "n_layers", "num_layers", "n_layer");
            var vocabulary = Int(root, "vocab_size");
            if (hidden is not > 0 || layers is not > 0 || vocabulary is not > 0)
            {
                return null;
            }

            long h = hidden.Value;
            long inner = Int(root, "intermediate_size", "hidden_dim", "ffn_dim", "n_inner") ?? 4 * h;
            long positions = Int(root, "max_position_embeddings", "n_positions") ?? 0;
            long types = Int(root, "type_vocab_size") ?? 0;
            var embeddings = (vocabulary.Value + positions + types) * h + 2 * h;
            var perLayer = (4 * h * h) + (4 * h) + (2 * h * inner) + inner + h + (4 * h);
            return new ModelSize(model, embeddings + layers.Value * perLayer, "config.json");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Int(JsonElement root, params string[] names)
    {
        foreach (var name in names)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
            {
                return number;
            }
        }

        return null;
    }
}
