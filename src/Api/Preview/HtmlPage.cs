using System.Text.Encodings.Web;

namespace BusinessBrief.Api.Preview;

/// <summary>
/// A preview page in <paramref name="language"/>: the shared layout and style around its content, served with headers
/// that keep a brief private (not cached, not framed, no referrer) and a policy under which only inline styles and
/// data-URI images load.
/// </summary>
public sealed class HtmlPage(string title, string content, int statusCode, string language) : IResult
{
    const string ContentSecurityPolicy =
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public Task ExecuteAsync(HttpContext http)
    {
        var response = http.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(Render());
    }

    string Render() => $"""
        <!DOCTYPE html>
        <html lang="{HtmlEncoder.Default.Encode(language)}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{HtmlEncoder.Default.Encode(title)}</title>
        <style>{Style}</style>
        </head>
        <body>
        <main>
        {content}
        </main>
        </body>
        </html>
        """;

    const string Style = """
        :root { color-scheme: light; --ink: #1d2433; --muted: #5a6478; --line: #dde2ea; --accent: #0b6e4f; --bg: #f5f6f8; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
        main { max-width: 68rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; display: grid; gap: 1.25rem; }
        h1 { font-size: clamp(1.8rem, 4vw, 2.6rem); margin: .2rem 0; line-height: 1.15; }
        h2 { font-size: 1.3rem; margin: 0 0 1rem; }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 .5rem; }
        .hero { background: var(--ink); color: #fff; border-radius: 1rem; padding: 1.5rem 1.75rem; }
        .eyebrow { margin: 0; text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: #c9d3e3; }
        .meta { margin: 0 0 1rem; color: #dfe6f1; }
        .facts { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; }
        .badge { display: inline-block; padding: .2rem .7rem; border-radius: 999px; font-weight: 600; background: #e7ebf2; color: var(--ink); }
        .status-ready, .status-used { background: #c9f0de; color: #064b35; }
        .status-incomplete, .status-cancelled { background: #ffe0d6; color: #7a1f00; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 1rem; padding: 1.25rem 1.5rem; min-width: 0; }
        .notice { color: var(--muted); font-style: italic; }
        .notice.failed { color: #7a1f00; font-style: normal; }
        .notice.stale { color: #5c4300; font-style: normal; background: #fff6d6; border-radius: .5rem; padding: .5rem .75rem; }
        .badge.stale { background: #ffd966; color: #4a3600; margin-right: .35rem; }
        .provenance, .card > .cost { color: var(--muted); font-size: .85rem; margin: .75rem 0 0; }
        .provenance + .cost { margin-top: .2rem; }
        .logos { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 22rem)); }
        .logos figure { margin: 0; border: 1px solid var(--line); border-radius: .75rem; padding: .75rem; background: #fafbfc; }
        .logos img { display: block; width: 100%; height: auto; }
        .logos figcaption { margin-top: .5rem; color: var(--muted); font-size: .9rem; }
        .palette { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; }
        .palette li { display: flex; align-items: center; gap: .5rem; }
        .swatch { width: 2.5rem; height: 2.5rem; border-radius: .5rem; border: 1px solid var(--line); display: inline-block; }
        .serp { max-width: 38rem; padding: 1rem 1.1rem; border: 1px solid var(--line); border-radius: .75rem; font-family: Arial, sans-serif; }
        .serp-site { display: flex; gap: .6rem; align-items: center; margin: 0; font-size: .85rem; }
        .serp-site > span:last-child { display: grid; }
        .serp-icon { width: 1.75rem; height: 1.75rem; border-radius: 50%; background: #e8eaed; display: grid; place-items: center; font-weight: 700; }
        .serp-name { color: #202124; }
        .serp-url { color: #4d5156; }
        .serp-title { color: #1a0dab; font-size: 1.25rem; font-weight: 400; margin: .35rem 0 .2rem; }
        .serp-description { color: #4d5156; font-size: .9rem; margin: 0; }
        .lengths { color: var(--muted); font-size: .85rem; }
        .chips { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .4rem; }
        .chips li { background: #eef6f2; color: #064b35; border-radius: 999px; padding: .15rem .7rem; font-size: .9rem; }
        .templates { padding-left: 1.25rem; display: grid; gap: .75rem; }
        .templates h3 { margin: 0; }
        .score { margin: .2rem 0; color: var(--accent); }
        dl { margin: 0; display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: .35rem 1rem; }
        dt { font-weight: 600; color: var(--muted); }
        dd { margin: 0; overflow-wrap: anywhere; }
        dd dl { grid-template-columns: minmax(6rem, max-content) 1fr; }
        .items { list-style: none; padding: 0; margin: 0; display: grid; gap: .6rem; }
        .items > li { border-left: 3px solid var(--line); padding-left: .75rem; }
        .field { margin: .1rem 0; }
        .key { color: var(--muted); font-weight: 600; margin-right: .35rem; }
        details > summary { margin-top: .5rem; font-weight: 600; color: var(--accent); }
        details[open] > summary { margin-bottom: .75rem; }
        summary { cursor: pointer; }
        summary h2 { display: inline; }
        pre { background: var(--bg); padding: .75rem; border-radius: .5rem; overflow-x: auto; }
        @media (max-width: 40rem) { dl { grid-template-columns: 1fr; } .hero, .card { padding: 1rem; } }
        """;
}
