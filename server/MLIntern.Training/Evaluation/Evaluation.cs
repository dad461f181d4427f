namespace MLIntern.Training.Evaluation;

/// <summary>Precision, recall, F1 and support of one class.</summary>
public sealed record ClassScores(double Precision, double Recall, double F1, int Support);

/// <summary>
/// The scores of a classifier on one split, in the shape eval.json has: accuracy, macro-F1
/// (unweighted mean over the classes, scikit-learn's zero_division=0), per-class scores, and the
/// confusion matrix (rows: true label, columns: predicted) with its label order.
/// </summary>
public sealed record EvalReport(
    double Accuracy,
    double MacroF1,
    IReadOnlyDictionary<string, ClassScores> PerClass,
    IReadOnlyList<string> Labels,
    int[][] ConfusionMatrix,
    int Support)
{
    /// <summary>Scores predictions against truth; <paramref name="labels"/> fixes the order (every label seen must be in it).</summary>
    public static EvalReport Compute(IReadOnlyList<string> labels, IReadOnlyList<int> truth, IReadOnlyList<int> predicted)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException("truth and predictions differ in length");
        }

        var k = labels.Count;
        var matrix = new int[k][];
        for (var i = 0; i < k; i++)
        {
            matrix[i] = new int[k];
        }

        var correct = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            matrix[truth[i]][predicted[i]]++;
            correct += truth[i] == predicted[i] ? 1 : 0;
        }

        var perClass = new SortedDictionary<string, ClassScores>(StringComparer.Ordinal);
        var f1Sum = 0.0;
        for (var c = 0; c < k; c++)
        {
            var tp = matrix[c][c];
            var support = matrix[c].Sum();
            var predictedCount = 0;
            for (var r = 0; r < k; r++)
            {
                predictedCount += matrix[r][c];
            }

            var precision = predictedCount == 0 ? 0 : (double)tp / predictedCount;
            var recall = support == 0 ? 0 : (double)tp / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[labels[c]] = new ClassScores(precision, recall, f1, support);
            f1Sum += f1;
        }

        return new EvalReport(
            truth.Count == 0 ? 0 : (double)correct / truth.Count,
            k == 0 ? 0 : f1Sum / k,
            perClass,
            labels,
            matrix,
            truth.Count);
    }
}
