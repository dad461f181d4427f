using MLIntern.Training.Evaluation;

namespace MLIntern.Training.Tests;

/// <summary>
/// Planted paraphrases, written by hand (not from templates), against "topic twins": rows on the same subject as a
/// train row but asking something else (cancel vs track an order, shipping time vs shipping cost). Measured with
/// all-MiniLM-L6-v2: every paraphrase's nearest train row is its source (20/20), but a single cosine threshold does
/// not separate paraphrases (0.43–0.89) from topic twins (up to 0.81): at 0.6 recall 0.80 and precision 0.80, short
/// of the 0.9/0.9 issue 18 asks.
/// </summary>
public sealed class ParaphraseOverlapTests(MiniLmFixture fixture) : IClassFixture<MiniLmFixture>
{
    private static readonly string[] Train =
    [
        "I want to cancel my order",
        "how long does shipping to Canada take",
        "my card was charged twice for the same purchase",
        "I forgot my password and can't log in",
        "please delete my account and all my data",
        "can I speak to a real person",
        "the headphones I received are broken",
        "where can I download my invoice",
        "I would like to change my delivery address",
        "do you accept PayPal",
        "I never got my refund",
        "how do I unsubscribe from your emails",
        "the app crashes every time I open it",
        "I want to upgrade to the premium plan",
        "is there a fee for cancelling my subscription",
        "my package says delivered but it is not here",
        "can I return an item after 30 days",
        "I'd like to leave feedback about your support agent",
        "how do I add a second user to my account",
        "the discount code doesn't work at checkout",
    ];

    private static readonly string[] Paraphrases =
    [
        "please call off the purchase I just made",
        "what's the delivery time for orders going to Canada",
        "you billed my credit card two times for one order",
        "I can't sign in because I don't remember my password",
        "remove my profile and erase everything you store about me",
        "I need to talk to a human, not a bot",
        "the earphones you sent me arrived damaged",
        "where do I get a copy of my bill",
        "I need to update the address my order is shipped to",
        "is PayPal an accepted payment method",
        "my money back still hasn't arrived",
        "stop sending me newsletters, how do I opt out",
        "your application keeps crashing as soon as I launch it",
        "how can I move up to the premium subscription",
        "will I be charged if I end my subscription early",
        "tracking shows the parcel was delivered but I don't have it",
        "is it possible to send something back after a month",
        "I want to give a review of the agent who helped me",
        "can I invite another person to use my account",
        "my promo code is rejected when I try to pay",
    ];

    private static readonly string[] Unrelated =
    [
        "I want to track my order",
        "how much does shipping to Canada cost",
        "I want to buy a gift card",
        "how do I change my username",
        "can I create a second account for my business",
        "what are your opening hours",
        "do you sell replacement ear cushions",
        "can I get the invoice addressed to my company",
        "do you deliver on Sundays",
        "can I pay in instalments",
        "how long does a refund usually take",
        "I'd like to subscribe to the newsletter",
        "is there a dark mode in the app",
        "what does the premium plan include",
        "can I pause my subscription for a month",
        "can I pick up my package at a store",
        "what is your warranty period",
        "who do I contact for a job application",
        "how do I enable two-factor authentication",
        "when is your next sale",
    ];

    [Fact]
    public void The_nearest_train_row_of_every_planted_paraphrase_is_its_source()
    {
        var matches = ParaphraseOverlap.Find(fixture.Embedder.Embed(Train), fixture.Embedder.Embed(Paraphrases), threshold: -1);
        Assert.Equal(Paraphrases.Length, matches.Count);
        Assert.All(matches, m => Assert.Equal(m.TestRow, m.TrainRow));
    }

    [Fact]
    public void At_the_default_threshold_planted_paraphrases_are_found_against_topic_twins()
    {
        var test = Paraphrases.Concat(Unrelated).ToArray();
        var matches = ParaphraseOverlap.Find(fixture.Embedder.Embed(Train), fixture.Embedder.Embed(test));
        var truePositives = matches.Count(m => m.TestRow < Paraphrases.Length && m.TrainRow == m.TestRow);
        var recall = (double)truePositives / Paraphrases.Length;
        var precision = matches.Count == 0 ? 0 : (double)truePositives / matches.Count;
        var report = string.Join("; ", matches.Select(m => $"{test[m.TestRow]} ~ {Train[m.TrainRow]} {m.Cosine:F2}"));
        // Measured 0.80 / 0.80; the guard is a little below so that a regression shows and a tokenizer update does not.
        Assert.True(recall >= 0.75, $"recall {recall:F2}, precision {precision:F2}: {report}");
        Assert.True(precision >= 0.75, $"recall {recall:F2}, precision {precision:F2}: {report}");
    }

    [Fact]
    public void Nothing_matches_above_the_threshold_when_the_splits_share_no_request()
    {
        Assert.Empty(ParaphraseOverlap.Find(fixture.Embedder.Embed(Train), fixture.Embedder.Embed(["what is the capital of France", "I love hiking in the mountains"])));
    }
}
