namespace MLIntern.Training.Evaluation;

/// <summary>Precision, recall and F1 averaged over classes one way (macro, micro or weighted).</summary>
public sealed record AveragedScores(double Precision, double Recall, double F1);

/// <summary>One class's row of the report: scikit-learn's precision_recall_fscore_support for that label.</summary>
public sealed record ClassMetrics(string Label, double Precision, double Recall, double F1, int Support, int Predicted);

/// <summary>
/// Single-label classification metrics defined exactly as scikit-learn's (version 1.2):
/// <list type="bullet">
/// <item>Labels: the sorted union of true and predicted labels (<c>unique_labels</c>); ordinal order.</item>
/// <item>precision = tp / (tp + fp), recall = tp / (tp + fn), F1 = 2·p·r / (p + r); a ratio whose
/// denominator is 0 is 0 (<c>zero_division=0</c>), and F1 is 0 when p + r = 0.</item>
/// <item>macro: the unweighted mean over the labels (including a label that is only predicted);
/// weighted: the mean weighted by support (0 when there is no support); micro: the ratios of the
/// summed counts — for single-label data micro-P = micro-R = micro-F1 = accuracy.</item>
/// <item>Confusion matrix: rows true label, columns predicted; row-normalised (<c>normalize="true"</c>)
/// divides each row by its sum, a row with no rows stays 0.</item>
/// </list>
/// </summary>
public sealed record ClassificationMetrics(
    int Count,
    double Accuracy,
    AveragedScores Macro,
    AveragedScores Micro,
    AveragedScores Weighted,
    IReadOnlyList<ClassMetrics> PerClass,
    IReadOnlyList<string> Labels,
    int[][] Confusion,
    double[][] ConfusionNormalized)
{
    public static ClassificationMetrics Compute(IReadOnlyList<string> truth, IReadOnlyList<string> predicted)
    {
        if (truth.Count != predicted.Count)
        {
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions");
        }

        var labels = truth.Concat(predicted).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(labels.Length, StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i++)
        {
            index[labels[i]] = i;
        }

        var k = labels.Length;
        var matrix = new int[k][];
        for (var i = 0; i < k; i++)
        {
            matrix[i] = new int[k];
        }

        var correct = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var t = index[truth[i]];
            var p = index[predicted[i]];
            matrix[t][p]++;
            correct += t == p ? 1 : 0;
        }

        var perClass = new ClassMetrics[k];
        long tpSum = 0, predictedSum = 0, supportSum = 0;
        double macroP = 0, macroR = 0, macroF = 0, weightedP = 0, weightedR = 0, weightedF = 0;
        for (var c = 0; c < k; c++)
        {
            var tp = matrix[c][c];
            var support = 0;
            var predictedCount = 0;
            for (var j = 0; j < k; j++)
            {
                support += matrix[c][j];
                predictedCount += matrix[j][c];
            }

            var precision = Divide(tp, predictedCount);
            var recall = Divide(tp, support);
            var f1 = F1(precision, recall);
            perClass[c] = new ClassMetrics(labels[c], precision, recall, f1, support, predictedCount);
            macroP += precision;
            macroR += recall;
            macroF += f1;
            weightedP += precision * support;
            weightedR += recall * support;
            weightedF += f1 * support;
            tpSum += tp;
            predictedSum += predictedCount;
            supportSum += support;
        }

        var microP = Divide(tpSum, predictedSum);
        var microR = Divide(tpSum, supportSum);
        var normalized = new double[k][];
        for (var r = 0; r < k; r++)
        {
            var rowSum = matrix[r].Sum();
            normalized[r] = [.. matrix[r].Select(v => rowSum == 0 ? 0.0 : (double)v / rowSum)];
        }

        return new ClassificationMetrics(
            truth.Count,
            truth.Count == 0 ? 0 : (double)correct / truth.Count,
            k == 0 ? new(0, 0, 0) : new(macroP / k, macroR / k, macroF / k),
            new(microP, microR, F1(microP, microR)),
            supportSum == 0 ? new(0, 0, 0) : new(weightedP / supportSum, weightedR / supportSum, weightedF / supportSum),
            perClass,
            labels,
            matrix,
            normalized);
    }

    private static double Divide(long numerator, long denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    private static double F1(double precision, double recall) => precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
}
