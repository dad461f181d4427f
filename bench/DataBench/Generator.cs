using System.Globalization;
using System.Text;

namespace MLIntern.Bench.Data;

/// <summary>
/// A seeded, Bitext-like customer-support data set (flags, instruction, category, intent, response):
/// templated instructions with openers, closers, casing and typo variants (so many near-duplicates
/// and some exact ones), <c>{{Order Number}}</c>-style placeholders, and long multi-line responses
/// (quoted fields with newlines, as in the real file). The same seed gives the same bytes.
/// </summary>
internal sealed class Generator(int seed)
{
    private static readonly (string Category, string Intent, string[] Templates)[] Intents =
    [
        ("ORDER", "cancel_order", ["cancel order {{Order Number}}", "I want to cancel my order {{Order Number}}", "can you help me cancel the order I made last {0}", "how do I cancel purchase {{Order Number}}", "i need to cancel an order I placed for a {1}"]),
        ("ORDER", "change_order", ["I want to change order {{Order Number}}", "can I modify my order for the {1}", "need to add a {1} to my order", "how can I edit the order I placed on {0}"]),
        ("ORDER", "place_order", ["I want to buy a {1}", "help me place an order for {2} {1}s", "how do I purchase the {1}", "i'd like to order a {1} please"]),
        ("ORDER", "track_order", ["where is my order {{Order Number}}", "track order {{Order Number}}", "I would like to know the status of my order from {0}", "has my {1} shipped yet"]),
        ("REFUND", "get_refund", ["I want a refund for the {1}", "how do I get my money back", "request a refund for order {{Order Number}}", "can I get reimbursed for the {1} I bought on {0}"]),
        ("REFUND", "track_refund", ["where is my refund", "check the status of my refund for the {1}", "when will I receive my refund for {{Order Number}}", "has my refund from {0} been processed"]),
        ("REFUND", "check_refund_policy", ["what is your refund policy", "can I return a {1} after {2} days", "do you refund {1}s"]),
        ("PAYMENT", "payment_issue", ["my payment was declined", "I have a problem with a payment of {{Money Amount}}", "the card payment failed {2} times", "there's an error when I pay for the {1}"]),
        ("PAYMENT", "check_payment_methods", ["which payment methods do you accept", "can I pay with paypal for a {1}", "do you take credit cards", "list the payment options"]),
        ("INVOICE", "get_invoice", ["I need the invoice for order {{Order Number}}", "send me the bill for the {1}", "where can I download invoice #{{Invoice Number}}"]),
        ("INVOICE", "check_invoice", ["check invoice {{Invoice Number}}", "there is a mistake on the invoice from {0}", "can you look at my bill"]),
        ("ACCOUNT", "create_account", ["I want to open a {3} account", "how do I sign up", "create a new {3} account for me", "register a user account"]),
        ("ACCOUNT", "delete_account", ["delete my {3} account", "I want to close my account {{Account Number}}", "how can I remove my profile", "please erase my {3} account"]),
        ("ACCOUNT", "edit_account", ["change the name on my account", "update my {3} account details", "how do I edit my profile info"]),
        ("ACCOUNT", "recover_password", ["I forgot my password", "reset my password please", "can't log in to my {3} account, help me recover my password", "how do I get a new password"]),
        ("ACCOUNT", "switch_account", ["switch to the {3} account", "how do I move from {3} to the other plan", "change my account type"]),
        ("DELIVERY", "delivery_options", ["what shipping options do you have", "do you offer express delivery to {{Delivery City}}", "which delivery methods are available for a {1}"]),
        ("DELIVERY", "delivery_period", ["how long does delivery take", "when will my {1} arrive", "what is the delivery time to {{Delivery City}}"]),
        ("SHIPPING_ADDRESS", "change_shipping_address", ["change my shipping address", "I moved, update my delivery address", "can I ship order {{Order Number}} to a new address"]),
        ("SHIPPING_ADDRESS", "set_up_shipping_address", ["add a shipping address", "set up a new address for deliveries", "I want to save {{Delivery City}} as my address"]),
        ("CONTACT", "contact_customer_service", ["how do I contact customer service", "what are your support hours", "I need help from support about my {1}"]),
        ("CONTACT", "contact_human_agent", ["let me talk to a human", "I need to speak with an agent about the {1}", "connect me to a real person"]),
        ("FEEDBACK", "complaint", ["I want to file a complaint about the {1}", "your service is terrible", "I'm unhappy with how my issue from {0} was handled"]),
        ("FEEDBACK", "review", ["I want to leave a review for the {1}", "where can I rate your service", "how do I write feedback"]),
        ("NEWSLETTER", "newsletter_subscription", ["subscribe me to the newsletter", "unsubscribe {{Email Address}} from your emails", "how do I stop the newsletter"]),
        ("CANCELLATION_FEE", "check_cancellation_fee", ["is there a fee to cancel", "how much does cancelling the {3} plan cost"]),
    ];

    private static readonly string[] Days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "week", "month", "night"];
    private static readonly string[] Products = ["laptop", "phone", "jacket", "pair of shoes", "coffee maker", "headset", "desk lamp", "backpack", "monitor", "blender", "watch", "keyboard"];
    private static readonly string[] Counts = ["two", "three", "five", "ten", "a few", "several"];
    private static readonly string[] Plans = ["premium", "free", "gold", "standard", "business", "family"];
    private static readonly string[] Openers = ["", "", "", "", "hi, ", "hello ", "hey ", "good morning, ", "excuse me ", "i need help, ", "can u help? "];
    private static readonly string[] Closers = ["", "", "", "", " please", " thanks", " asap", "?", "!!", " thank you", " right now"];
    private static readonly string[] Flags = ["B", "BL", "BQZ", "BCIP", "BKL", "BLQZ", "BIL", "BCLQ", "BMQ", "BPLZ"];

    private static readonly string[] Greetings =
    [
        "I'm sorry to hear that you're having trouble with {0}.",
        "Thank you for reaching out about {0}!",
        "I understand how important {0} is to you.",
        "I've got you covered with {0}.",
        "I appreciate you contacting us regarding {0}.",
    ];

    private static readonly string[] Steps =
    [
        "Log in to your account on {{Website URL}}.",
        "Go to the '{{Orders Section}}' section and find the order {{Order Number}}.",
        "Click on '{{Settings}}' and choose the option you need.",
        "Follow the instructions on the screen and confirm the change.",
        "Check your inbox for a confirmation e-mail within {{Time Frame}}.",
        "If the option is greyed out, the order may already be in transit.",
        "Keep your receipt handy in case our team asks for it.",
        "You can also reach us by phone at {{Customer Support Phone Number}} during {{Customer Support Hours}}.",
        "Our live chat on {{Website URL}} answers within a few minutes.",
        "Make sure the details match the ones on your invoice.",
    ];

    private static readonly string[] Endings =
    [
        "If you have any other questions, feel free to ask. We're here to help!",
        "Let me know if there is anything else I can do for you.",
        "Thank you for your patience while we sort this out.",
        "We value your business and want to make this right.",
    ];

    private readonly Random _random = new(seed);

    public static string Header => "flags,instruction,category,intent,response\n";

    /// <summary>Appends one row (with its newline) to <paramref name="output"/>.</summary>
    public void Row(StringBuilder output)
    {
        var r = _random;
        var (category, intent, templates) = Intents[r.Next(Intents.Length)];
        var instruction = Openers[r.Next(Openers.Length)] + Fill(templates[r.Next(templates.Length)]) + Closers[r.Next(Closers.Length)];
        if (r.Next(8) == 0)
        {
            instruction = instruction.ToUpperInvariant();
        }

        if (r.Next(5) == 0)
        {
            instruction = Typo(instruction);
        }

        if (r.Next(7) == 0)
        {
            instruction = instruction.Replace("{{Order Number}}", "#" + r.Next(10000, 999999).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        output.Append(Flags[r.Next(Flags.Length)]).Append(',');
        AppendQuoted(output, instruction);
        output.Append(',').Append(category).Append(',').Append(intent).Append(',');
        AppendQuoted(output, Response(intent.Replace('_', ' ')));
        output.Append('\n');
    }

    private string Fill(string template) =>
        template.Replace("{0}", Days[_random.Next(Days.Length)], StringComparison.Ordinal)
            .Replace("{1}", Products[_random.Next(Products.Length)], StringComparison.Ordinal)
            .Replace("{2}", Counts[_random.Next(Counts.Length)], StringComparison.Ordinal)
            .Replace("{3}", Plans[_random.Next(Plans.Length)], StringComparison.Ordinal);

    /// <summary>One typo, as Bitext's variants have: a dropped, doubled or swapped letter.</summary>
    private string Typo(string text)
    {
        if (text.Length < 4)
        {
            return text;
        }

        var i = _random.Next(1, text.Length - 2);
        return _random.Next(3) switch
        {
            0 => text.Remove(i, 1),
            1 => text.Insert(i, text[i].ToString()),
            _ => string.Concat(text.AsSpan(0, i), text[i + 1].ToString(), text[i].ToString(), text.AsSpan(i + 2)),
        };
    }

    private string Response(string topic)
    {
        var r = _random;
        var text = new StringBuilder();
        text.Append(string.Format(CultureInfo.InvariantCulture, Greetings[r.Next(Greetings.Length)], topic)).Append(" Here is what to do:\n\n");
        var steps = r.Next(3, 8);
        for (var i = 1; i <= steps; i++)
        {
            text.Append(i.ToString(CultureInfo.InvariantCulture)).Append(". ").Append(Steps[r.Next(Steps.Length)]).Append('\n');
        }

        text.Append('\n').Append(Endings[r.Next(Endings.Length)]);
        return text.ToString();
    }

    private static void AppendQuoted(StringBuilder output, string field)
    {
        if (field.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            output.Append(field);
            return;
        }

        output.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    /// <summary>Writes rows until <paramref name="rows"/> rows or <paramref name="bytes"/> bytes, whichever limit is given.</summary>
    public static long Write(string path, int seed, long? rows, long? bytes)
    {
        var generator = new Generator(seed);
        var temporary = path + ".tmp";
        long written = 0;
        long count = 0;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var encoding = new UTF8Encoding(false);
            var header = encoding.GetBytes(Header);
            stream.Write(header);
            written += header.Length;
            var chunk = new StringBuilder(1 << 20);
            while ((rows is null || count < rows) && (bytes is null || written < bytes))
            {
                chunk.Clear();
                for (var i = 0; i < 1000 && (rows is null || count < rows); i++, count++)
                {
                    generator.Row(chunk);
                }

                var data = encoding.GetBytes(chunk.ToString());
                stream.Write(data);
                written += data.Length;
            }
        }

        File.Move(temporary, path, overwrite: true);
        return count;
    }
}
