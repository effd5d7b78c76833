// A client of the API as a TypeScript developer writes one: types generated from /openapi/v1.json by
// openapi-typescript, requests by openapi-fetch. It compiles only if the document types the ids as numbers.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

const client = createClient<paths>({
  baseUrl: process.env.API_URL,
  headers: { Authorization: `Bearer ${process.env.API_TOKEN}` },
});

const request: components["schemas"]["GenerateBriefRequest"] = {
  coaching_session_id: 4242,
  business_name: "Boulangerie Téranga",
  vision: "Devenir la boulangerie de quartier préférée de Dakar.",
  mission: "Offrir chaque matin du pain frais à prix juste.",
  target_audience: "Familles et employés de bureau du Plateau",
  differentiation: "Farine de mil locale, livraison à vélo avant 8 h",
  value_proposition: "Du pain chaud livré avant le travail",
  sector: "boulangerie",
  location: { city: "Dakar", country: "Sénégal" },
  language: "fr",
};

const accepted = await client.POST("/api/v1/business/brief/generate", { body: request });
if (accepted.response.status !== 202 || !accepted.data) throw new Error(`generate answered ${accepted.response.status}`);
const brief_id = accepted.data.brief_id;

// Long-polls until the brief settles: each GET names the version it already has (If-None-Match) and lets the API
// hold it up to 10 s for a change (Prefer: wait=10); 304 means nothing changed meanwhile.
let brief: components["schemas"]["BriefResponse"] | undefined;
let etag: string | undefined;
let notModified = 0;
for (let attempt = 0; attempt < 30 && (brief === undefined || brief.status === "generating"); attempt++) {
  const header = etag === undefined ? {} : { "If-None-Match": etag, Prefer: "wait=10" };
  const read = await client.GET("/api/v1/business/brief/{brief_id}", { params: { path: { brief_id }, header } });
  if (read.response.status === 304) {
    notModified++;
    continue;
  }
  if (!read.data) throw new Error(`GET answered ${read.response.status}`);
  brief = read.data;
  etag = read.response.headers.get("ETag") ?? undefined;
  if (etag === undefined) throw new Error("GET answered without an ETag");
}
const results = await client.GET("/api/v1/business/brief/{brief_id}/results", { params: { path: { brief_id } } });
if (!brief || !results.data) throw new Error(`results answered ${results.response.status}`);

const coachingSessionId: number = brief.coaching_session_id;
const websiteId: number | null = brief.dc360_website_id;
console.log(JSON.stringify({
  generate: accepted.response.status, brief_id, status: brief.status, coaching_session_id: coachingSessionId, dc360_website_id: websiteId,
  etag, not_modified: notModified,
  sections_with_results: Object.entries(results.data).filter(([, result]) => result !== null).map(([name]) => name),
}));
