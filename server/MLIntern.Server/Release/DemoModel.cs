using MLIntern.Training.Baseline;
using MLIntern.Training.Encoder;

namespace MLIntern.Server.Release;

/// <summary>
/// A run's model.bin as the local demo serves it: the TF-IDF baseline (scores: the softmax of its SVM
/// decision values) or the encoder baseline (scores: the head's probabilities over the built-in
/// encoder's embedding). The file's magic says which.
/// </summary>
internal sealed class DemoModel : IDisposable
{
    private readonly Func<string, double[]> _score;
    private readonly IDisposable? _owned;

    private DemoModel(string kind, IReadOnlyList<string> classes, string description, Func<string, double[]> score, IDisposable? owned)
    {
        Kind = kind;
        Classes = classes;
        Description = description;
        _score = score;
        _owned = owned;
    }

    /// <summary>"baseline" (TF-IDF) or "encoder".</summary>
    public string Kind { get; }

    public IReadOnlyList<string> Classes { get; }

    /// <summary>One sentence for the page: what model this is and what its scores mean.</summary>
    public string Description { get; }

    /// <summary>The score of every class (they sum to one), in <see cref="Classes"/> order.</summary>
    public double[] Score(string text) => _score(text);

    public static DemoModel Baseline(BaselineModel model) =>
        new("baseline", model.Classes, "The built-in TF-IDF + linear SVM baseline, served on this machine only. Scores are the softmax of the model's decision values.", text => Softmax(model.Score([text])[0]), null);

    /// <summary>The encoder baseline; it loads the built-in encoder (a few seconds) and keeps it until disposed.</summary>
    public static DemoModel Encoder(EncoderModel model)
    {
        if (model.EncoderId != Server.Encoder.BuiltInEncoder.ModelId)
        {
            throw new InvalidDataException($"model.bin names the encoder {model.EncoderId}; this ML Intern ships {Server.Encoder.BuiltInEncoder.ModelId}");
        }

        var encoder = Server.Encoder.BuiltInEncoder.ForWeights(model.Weights);
        var lockObject = new object();
        return new("encoder", model.Classes, $"The built-in encoder baseline ({model.EncoderId}, {model.Weights} weights, frozen, + a logistic-regression head{(model.Tfidf is null ? "" : " that also reads the TF-IDF SVM's scores")}), served on this machine only. Scores are the head's probabilities.", text =>
        {
            lock (lockObject)
            {
                var embedding = encoder.Embed(null, [text], _ => { }, CancellationToken.None);
                return model.Probabilities([text], embedding)[0];
            }
        }, encoder);
    }

    /// <summary>Reads a run's model.bin, either kind; an unreadable file is an <see cref="InvalidDataException"/>.</summary>
    public static DemoModel Load(Stream stream) =>
        EncoderModel.IsEncoderModel(stream) ? Encoder(EncoderModel.Load(stream)) : Baseline(BaselineModel.Load(stream));

    private static double[] Softmax(float[] values)
    {
        var max = values.Max();
        var exp = values.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    public void Dispose() => _owned?.Dispose();
}
