using BusinessBrief.Contracts;

namespace BusinessBrief.Tests.Agents;

/// <summary>Businesses as coaching sessions describe them, in the cities our users live in.</summary>
public static class Profiles
{
    /// <summary>The example of <c>examples/dakar-brief.json</c>, which <c>./bb demo</c> submits.</summary>
    public static BusinessProfile DakarDemo => new()
    {
        CoachingSessionId = 20250142,
        BusinessName = "Boulangerie Teranga",
        Vision = "Devenir la boulangerie de quartier préférée des familles de Dakar, où le savoir-faire artisanal rencontre les saveurs du Sénégal.",
        Mission = "Préparer chaque jour, avec des farines de qualité et des produits locaux (mil, bissap, bouye, mangue), du pain frais, des viennoiseries et des pâtisseries accessibles, et les livrer rapidement dans les quartiers de Mermoz, Sacré-Cœur et Point E.",
        TargetAudience = "Familles et jeunes actifs de Dakar (25-45 ans) qui veulent du pain frais chaque matin, ainsi que les bureaux, restaurants et organisateurs d'événements (baptêmes, mariages, Tabaski) qui commandent en volume.",
        Differentiation = "Pain cuit au feu de bois deux fois par jour, recettes qui revisitent les produits du terroir sénégalais (pain au mil, croissant au bissap, gâteau à la bouye), commande par WhatsApp et paiement Wave ou Orange Money, livraison à moto en moins de 45 minutes.",
        ValueProposition = "Du pain et des douceurs artisanales, frais à toute heure, aux saveurs d'ici, livrés chez vous ou au bureau au juste prix.",
        Sector = "Boulangerie-pâtisserie artisanale",
        Location = new BusinessLocation { City = "Dakar", Country = "Sénégal" },
    };

    public static BusinessProfile DakarBakery => Briefs.DakarBakery;

    public static BusinessProfile AbidjanTailor => new()
    {
        CoachingSessionId = 7,
        BusinessName = "Atelier Adjoua Couture",
        Vision = "Être la référence du sur-mesure en pagne wax pour les femmes actives d'Abidjan.",
        Mission = "Confectionner des tenues élégantes en wax, ajustées à chaque cliente, livrées en dix jours.",
        TargetAudience = "Femmes actives de Cocody et de la Riviera, et mariées qui préparent leur cérémonie.",
        Differentiation = "Prise de mesures à domicile, suivi de la commande sur WhatsApp, finitions haut de gamme.",
        ValueProposition = "Des tenues sur mesure qui vous ressemblent, livrées à temps pour chaque occasion.",
        Sector = "Couture sur mesure",
        Location = new BusinessLocation { City = "Abidjan", Country = "Côte d'Ivoire" },
    };

    public static BusinessProfile MontrealCafe => new()
    {
        CoachingSessionId = 311,
        BusinessName = "Le Petit Nord",
        Vision = "Become the cosy neighbourhood coffee shop of the Mile End where remote workers and students feel at home.",
        Mission = "Serve specialty coffee roasted in Quebec and home-made pastries, every day from 7 am.",
        TargetAudience = "Remote workers and students of the Mile End and the Plateau-Mont-Royal.",
        Differentiation = "Beans from a local roaster, quiet work tables with fast Wi-Fi, vegan pastries baked on site.",
        ValueProposition = "Great coffee and a calm place to work, a few steps from home.",
        Sector = "Coffee shop",
        Location = new BusinessLocation { City = "Montréal", Country = "Canada" },
    };

    /// <summary>A name that would break an SVG or a page if it were pasted in as markup.</summary>
    public static BusinessProfile ScriptInjection => DakarBakery with { BusinessName = "</text><script>alert(1)</script>" };

    public static BusinessProfile CafeAndCo => MontrealCafe with { BusinessName = "Café & Co", Location = new BusinessLocation { City = "Lyon", Country = "France" } };

    /// <summary>Every profile with the language its owner speaks.</summary>
    public static TheoryData<string, string> All => new()
    {
        { nameof(DakarDemo), "fr" },
        { nameof(DakarBakery), "fr" },
        { nameof(AbidjanTailor), "fr" },
        { nameof(MontrealCafe), "en" },
        { nameof(ScriptInjection), "fr" },
        { nameof(CafeAndCo), "en" },
    };

    public static BusinessProfile Named(string name) => name switch
    {
        nameof(DakarDemo) => DakarDemo,
        nameof(DakarBakery) => DakarBakery,
        nameof(AbidjanTailor) => AbidjanTailor,
        nameof(MontrealCafe) => MontrealCafe,
        nameof(ScriptInjection) => ScriptInjection,
        nameof(CafeAndCo) => CafeAndCo,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such profile"),
    };

    public static RunSubAgent Job(string section, BusinessProfile profile, string language = "fr", int revision = 1,
        string? feedback = null, System.Text.Json.JsonElement? previousResult = null) => new()
    {
        BriefId = Guid.Parse("6b1f8d2e-5a8c-4c1e-9a3e-2f0c9d1b7a10"),
        JobId = Guid.NewGuid(),
        Section = section,
        Revision = revision,
        Profile = profile,
        Language = language,
        Feedback = feedback,
        PreviousResult = previousResult,
    };
}
