using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLIntern.Training.Baseline;

namespace MLIntern.Server.Release;

/// <summary>
/// The local web demo of a built-in baseline model (TF-IDF or encoder, <see cref="DemoModel"/>): an ASP.NET Core minimal API bound to 127.0.0.1
/// only. <c>GET /</c> is a small page (type a text, see the label scores); <c>POST /api/predict</c>
/// takes <c>{"text": "..."}</c> and answers <c>{"label", "scores": [{"label", "score"}]}</c>, scores
/// being the model's class probabilities (TF-IDF: the softmax of its decision values), best first; <c>GET /api/info</c> names the
/// run and the labels. Texts longer than <see cref="MaxTextChars"/> are refused.
/// </summary>
internal sealed class DemoServer : IAsyncDisposable
{
    public const int MaxTextChars = 10_000;

    private readonly WebApplication _app;

    private DemoServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Starts serving the model; port 0 picks a free port (see <see cref="Address"/>).</summary>
    public static Task<DemoServer> StartAsync(BaselineModel model, string title, int port, CancellationToken cancellationToken = default) =>
        StartAsync(DemoModel.Baseline(model), title, port, cancellationToken);

    /// <summary>Starts serving the model; port 0 picks a free port (see <see cref="Address"/>). The caller keeps <paramref name="model"/> alive while serving.</summary>
    public static async Task<DemoServer> StartAsync(DemoModel model, string title, int port, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options => options.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(Page(title, model.Description), "text/html; charset=utf-8"));
        app.MapGet("/api/info", () => Results.Json(new { title, labels = model.Classes }));
        app.MapPost("/api/predict", async (HttpRequest request) =>
        {
            PredictRequest? body;
            try
            {
                body = await request.ReadFromJsonAsync<PredictRequest>().ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.BadRequest(new { error = "expected a JSON object {\"text\": \"...\"}" });
            }

            if (body?.Text is not { } text || string.IsNullOrWhiteSpace(text))
            {
                return Results.BadRequest(new { error = "text is required" });
            }

            if (text.Length > MaxTextChars)
            {
                return Results.BadRequest(new { error = $"text is longer than {MaxTextChars} characters" });
            }

            var scores = model.Score(text);
            var ranked = model.Classes.Select((label, i) => new LabelScore(label, scores[i])).OrderByDescending(s => s.Score).ToArray();
            return Results.Json(new PredictResponse(ranked[0].Label, ranked));
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoServer(app, new Uri(bound));
    }

    public sealed record PredictRequest(string? Text);

    public sealed record LabelScore(string Label, double Score);

    public sealed record PredictResponse(string Label, IReadOnlyList<LabelScore> Scores);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static string Page(string title, string description) => $$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>{{WebUtility.HtmlEncode(title)}}</title>
        <style>body{font:15px system-ui,sans-serif;max-width:40em;margin:2em auto;color:#222}textarea{width:100%;font:inherit}
        .row{display:flex;align-items:center;gap:.5em;margin:.2em 0}.bar{background:#4a7;height:.9em}.name{width:14em}</style></head>
        <body><h1>{{WebUtility.HtmlEncode(title)}}</h1>
        <p>{{WebUtility.HtmlEncode(description)}}</p>
        <textarea id="text" rows="3" placeholder="Type a text to classify"></textarea>
        <p><button id="go">Classify</button> <span id="label"></span></p><div id="scores"></div>
        <script>
        async function classify() {
          const response = await fetch("/api/predict", {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify({text: document.getElementById("text").value})});
          const body = await response.json();
          const scores = document.getElementById("scores");
          scores.replaceChildren();
          if (!response.ok) { document.getElementById("label").textContent = body.error; return; }
          document.getElementById("label").textContent = "→ " + body.label;
          for (const s of body.scores.slice(0, 10)) {
            const row = document.createElement("div"); row.className = "row";
            const name = document.createElement("span"); name.className = "name"; name.textContent = s.label;
            const bar = document.createElement("span"); bar.className = "bar"; bar.style.width = (s.score * 20) + "em";
            const value = document.createElement("span"); value.textContent = s.score.toFixed(3);
            row.append(name, bar, value); scores.append(row);
          }
        }
        document.getElementById("go").addEventListener("click", classify);
        </script></body></html>
        """;
}
