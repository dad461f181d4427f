using System.Globalization;
using System.Text;

namespace TrainBench;

/// <summary>
/// A seeded, Bitext-like customer-support intent data set (27 intents in 11 categories, about 1,000
/// rows each): each row is an opener, a verb phrase and an object phrase with slots, then typos,
/// case changes and a little label noise, so neither model reaches a perfect score.
/// </summary>
internal static class BitextLike
{
    private sealed record Intent(string Category, string Name, string[] Verbs, string[] Objects);

    private static readonly Intent[] Intents =
    [
        new("ACCOUNT", "create_account", ["create", "open", "set up", "register", "make"], ["an account", "a new account", "a {{Account Type}} account", "a user profile", "an online account"]),
        new("ACCOUNT", "delete_account", ["delete", "close", "remove", "cancel", "terminate"], ["my account", "the {{Account Type}} account", "my user profile", "my online account", "account {{Account Number}}"]),
        new("ACCOUNT", "edit_account", ["edit", "update", "modify", "change the details of", "correct"], ["my account", "the {{Account Type}} account", "my profile information", "my personal data", "account {{Account Number}}"]),
        new("ACCOUNT", "switch_account", ["switch", "change", "move", "upgrade", "swap"], ["to the {{Account Type}} account", "my account to another plan", "to a different account", "my profile to {{Account Type}}", "accounts"]),
        new("ACCOUNT", "recover_password", ["recover", "reset", "retrieve", "get back", "restore"], ["my password", "the password of my account", "my PIN", "access to my account", "my login key"]),
        new("ACCOUNT", "registration_problems", ["report a problem with", "fix an error in", "get help with", "solve an issue with", "report trouble with"], ["the registration", "signing up", "the sign-up form", "registering", "the registration process"]),
        new("CANCEL", "check_cancellation_fee", ["check", "see", "find out", "know", "ask about"], ["the cancellation fee", "the early termination charge", "what cancelling costs", "the penalty for cancelling", "the exit fee"]),
        new("CONTACT", "contact_customer_service", ["contact", "reach", "call", "email", "talk to"], ["customer service", "customer support", "the support team", "the help desk", "the service team"]),
        new("CONTACT", "contact_human_agent", ["speak with", "talk to", "chat with", "be transferred to", "get"], ["a human agent", "a real person", "an operator", "a live agent", "someone human"]),
        new("DELIVERY", "delivery_options", ["check", "see", "know", "compare", "ask about"], ["the delivery options", "the shipping methods", "express delivery", "the ways you ship", "shipping options to {{Delivery City}}"]),
        new("DELIVERY", "delivery_period", ["check", "know", "find out", "estimate", "ask about"], ["how long delivery takes", "the delivery time", "when my package arrives", "the shipping period to {{Delivery City}}", "the arrival date"]),
        new("FEEDBACK", "complaint", ["file", "make", "submit", "lodge", "write"], ["a complaint", "a claim about the service", "a complaint about an employee", "a grievance", "a formal complaint"]),
        new("FEEDBACK", "review", ["leave", "write", "submit", "post", "send"], ["a review", "some feedback", "a comment about the product", "my opinion", "a rating"]),
        new("INVOICE", "check_invoice", ["check", "see", "look at", "find", "view"], ["my invoice", "the bill", "invoice {{Invoice Number}}", "my invoices from {{Person Name}}", "the last bill"]),
        new("INVOICE", "get_invoice", ["get", "download", "receive", "request", "obtain"], ["my invoice", "a copy of the bill", "invoice {{Invoice Number}}", "an invoice for my purchase", "the receipt"]),
        new("NEWSLETTER", "newsletter_subscription", ["subscribe to", "sign up for", "unsubscribe from", "cancel", "join"], ["the newsletter", "your mailing list", "the weekly newsletter", "the company newsletter", "email updates"]),
        new("ORDER", "cancel_order", ["cancel", "call off", "revoke", "abort", "stop"], ["order {{Order Number}}", "my order", "the purchase I made", "purchase {{Order Number}}", "an order"]),
        new("ORDER", "change_order", ["change", "modify", "edit", "update", "add an item to"], ["order {{Order Number}}", "my order", "the purchase I made", "purchase {{Order Number}}", "an order"]),
        new("ORDER", "place_order", ["place", "make", "buy", "purchase", "order"], ["an order", "a new order", "some items", "{{Product}}", "several articles"]),
        new("ORDER", "track_order", ["track", "check the status of", "locate", "follow", "see where"], ["order {{Order Number}}", "my order", "the purchase I made", "purchase {{Order Number}}", "my package"]),
        new("PAYMENT", "check_payment_methods", ["check", "see", "know", "list", "ask about"], ["the payment methods", "the payment options", "how I can pay", "if you accept {{Payment Method}}", "accepted cards"]),
        new("PAYMENT", "payment_issue", ["report", "fix", "solve", "get help with", "notify"], ["a payment issue", "a problem with the payment", "an error when paying", "a declined {{Payment Method}} payment", "a failed payment"]),
        new("REFUND", "check_refund_policy", ["check", "see", "know", "read", "ask about"], ["the refund policy", "your money back guarantee", "when I can get a refund", "the reimbursement conditions", "refund rules"]),
        new("REFUND", "get_refund", ["get", "request", "claim", "ask for", "receive"], ["a refund", "my money back", "a reimbursement", "a refund for order {{Order Number}}", "a refund of {{Refund Amount}}"]),
        new("REFUND", "track_refund", ["track", "check the status of", "follow", "see", "find"], ["my refund", "the reimbursement", "refund {{Refund Amount}}", "the refund for order {{Order Number}}", "my money back"]),
        new("SHIPPING", "change_shipping_address", ["change", "update", "modify", "correct", "edit"], ["my shipping address", "the delivery address", "the address for order {{Order Number}}", "where you ship to", "my address"]),
        new("SHIPPING", "set_up_shipping_address", ["set up", "add", "enter", "create", "register"], ["a shipping address", "a new delivery address", "a second address", "an address for shipping", "a shipping location"]),
    ];

    private static readonly string[] Openers =
    [
        "", "I want to ", "I need to ", "I'd like to ", "can you help me ", "help me ", "how do I ", "how can I ", "where can I ",
        "I have to ", "could you ", "can I ", "is it possible to ", "I am trying to ", "I don't know how to ", "what do I have to do to ", "assistance to ",
    ];

    private static readonly string[] Closers = ["", "", "", "", " please", " asap", "?", " thank you", " for me", " now", " today", " if possible", " right away"];

    public static string Generate(int rows, int seed)
    {
        var random = new Random(seed);
        var csv = new StringBuilder("instruction,category,intent\n");
        for (var i = 0; i < rows; i++)
        {
            var intent = Intents[i % Intents.Length];
            var text = Openers[random.Next(Openers.Length)] + intent.Verbs[random.Next(intent.Verbs.Length)] + " " + intent.Objects[random.Next(intent.Objects.Length)] + Closers[random.Next(Closers.Length)];
            text = Noise(text, random);
            var label = intent;
            if (random.NextDouble() < 0.03)
            {
                // Annotator noise: a neighbour in the same category, or any intent.
                var same = Intents.Where(x => x.Category == intent.Category && x != intent).ToArray();
                label = same.Length > 0 && random.Next(2) == 0 ? same[random.Next(same.Length)] : Intents[random.Next(Intents.Length)];
            }

            csv.Append(Quote(text)).Append(',').Append(label.Category).Append(',').Append(label.Name).Append('\n');
        }

        return csv.ToString();
    }

    private static string Noise(string text, Random random)
    {
        var words = text.Split(' ');
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            if (word.Length > 3 && !word.StartsWith("{{", StringComparison.Ordinal) && random.NextDouble() < 0.06)
            {
                var at = random.Next(1, word.Length - 1);
                word = random.Next(2) == 0 ? word.Remove(at, 1) : word[..(at - 1)] + word[at] + word[at - 1] + word[(at + 1)..];
            }

            words[w] = word;
        }

        text = string.Join(' ', words);
        if (random.Next(10) == 0)
        {
            text = text.ToLowerInvariant();
        }
        else if (random.Next(30) == 0)
        {
            text = text.ToUpperInvariant();
        }

        if (random.Next(5) == 0)
        {
            text = text.Replace("{{Order Number}}", "#" + random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
