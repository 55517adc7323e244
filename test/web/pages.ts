/**
 * News pages written for the tests, shaped like real ones: navigation, a cookie banner, ads,
 * a related-article list, JSON-LD, a photo caption and credit. The article paragraphs are
 * exported so tests can assert exactly what is kept.
 */

const chrome = (lang: string, head: string, body: string): string => `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
${head}
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date());</script>
</head>
<body>
<div id="cookie-banner" class="cookie-consent">
  <p>Nous utilisons des cookies pour améliorer votre expérience. En poursuivant votre navigation, vous acceptez leur utilisation.</p>
  <button>Tout accepter</button> <button>Paramétrer</button>
</div>
<header class="site-header">
  <a href="/" class="logo">Le Quotidien du Delta</a>
  <nav class="main-nav"><ul>
    <li><a href="/politique">Politique</a></li><li><a href="/economie">Économie</a></li>
    <li><a href="/monde">Monde</a></li><li><a href="/culture">Culture</a></li><li><a href="/sport">Sport</a></li>
  </ul></nav>
</header>
<div class="ad ad-leaderboard"><p>Publicité — Découvrez nos offres d'abonnement numérique à partir de 1 € le premier mois.</p></div>
${body}
<footer class="site-footer">
  <p>© 2025 Le Quotidien du Delta. Tous droits réservés. Mentions légales · Contact · Plan du site</p>
</footer>
<script src="/static/tracker.js"></script>
</body>
</html>`;

export const FR_PARAGRAPHS = [
  'Le port autonome de Haiphong a inauguré mardi un nouveau terminal à conteneurs capable d’accueillir des navires de 200 000 tonnes, a annoncé la direction du port.',
  'Le terminal, construit en trente mois, doit porter la capacité annuelle du port à huit millions de conteneurs d’ici à 2027, selon le directeur général, M. Nguyen Van Binh.',
  'Les travaux, d’un montant de 320 millions d’euros, ont été financés pour moitié par un prêt de la Banque asiatique de développement.',
  '« Ce terminal place Haiphong parmi les dix premiers ports d’Asie du Sud-Est », a déclaré le vice-ministre des Transports lors de la cérémonie.',
  'Les premiers navires sont attendus dès la semaine prochaine, en provenance de Busan et de Singapour.',
];

export const FR_RELATED = [
  'Haiphong : le trafic de conteneurs bondit de 12 % au premier semestre',
  'Transport maritime : les armateurs inquiets de la hausse des taux de fret',
];

export const FR_CAPTION = 'Le nouveau terminal à conteneurs de Haiphong, le 14 octobre 2025. Photo : Tran Minh/Delta';

export function frenchArticle(origin: string): string {
  return chrome(
    'fr',
    `<title>Haiphong inaugure un terminal géant | Le Quotidien du Delta</title>
<link rel="canonical" href="${origin}/economie/haiphong-terminal">
<meta property="og:title" content="Haiphong inaugure un terminal géant">
<meta property="og:type" content="article">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite","name":"Le Quotidien du Delta"},{"@type":"NewsArticle","headline":"Haiphong inaugure un terminal à conteneurs géant","datePublished":"2025-10-14T09:30:00+07:00","dateModified":"2025-10-15T08:00:00+07:00","inLanguage":"fr"}]}</script>`,
    `<main>
<article class="article">
  <h1 class="article-title">Haiphong inaugure un terminal à conteneurs géant</h1>
  <div class="article-meta"><span class="byline">Par la rédaction</span> · <time datetime="2025-10-15T08:00:00+07:00">Mis à jour le 15 octobre 2025</time></div>
  <div class="share-buttons"><a href="#">Partager sur Facebook</a> <a href="#">Partager sur X</a></div>
  <figure class="article-photo">
    <img src="/img/terminal.jpg" alt="Terminal">
    <figcaption>${FR_CAPTION}</figcaption>
  </figure>
  <div class="article-body">
    <p>${FR_PARAGRAPHS[0]}</p>
    <p>${FR_PARAGRAPHS[1]}</p>
    <div class="ad ad-inread"><p>Publicité</p><p>Voyagez au Vietnam avec notre partenaire : -20 % sur les vols cet automne.</p></div>
    <p>${FR_PARAGRAPHS[2]}</p>
    <p>${FR_PARAGRAPHS[3]}</p>
    <p class="photo-credit">Photo : Tran Minh/Delta</p>
    <p>${FR_PARAGRAPHS[4]}</p>
  </div>
  <section class="related-articles">
    <h2>À lire aussi</h2>
    <ul>
      <li><a href="/economie/trafic">${FR_RELATED[0]}</a> <span>Publié le 2 juillet 2025</span></li>
      <li><a href="/economie/fret">${FR_RELATED[1]}</a> <span>Publié le 20 juin 2025</span></li>
    </ul>
  </section>
</article>
</main>
<aside class="sidebar"><h3>Les plus lus</h3><ol><li><a href="/a">Inondations dans le Delta : l’état d’urgence décrété</a></li><li><a href="/b">Le prix du riz au plus haut depuis dix ans</a></li></ol></aside>
<div class="newsletter"><p>Recevez chaque matin l’essentiel de l’actualité. Inscrivez-vous à notre lettre d’information.</p></div>`,
  );
}

export const EN_PARAGRAPHS = [
  'The city council of Da Nang approved on Thursday a plan to build a light-rail line linking the airport to the beaches of My Khe, officials said.',
  'The first section, 11 kilometres long, is expected to open in 2028 and to carry 40,000 passengers a day, according to the council’s transport committee.',
  'Residents of the Hai Chau district had asked for the line for more than a decade, citing traffic jams on the Dragon Bridge at rush hour.',
  'The council said the project would cost about $900 million and that it would seek funding from Japanese and Korean development agencies.',
];

export function englishArticle(origin: string): string {
  return chrome(
    'en',
    `<title>Da Nang approves airport light rail - Delta Daily</title>
<meta property="og:url" content="${origin}/news/da-nang-light-rail">
<meta property="article:published_time" content="2025-10-09T14:00:00Z">`,
    `<div class="page-wrapper has-ads">
<nav class="breadcrumbs"><a href="/">Home</a> › <a href="/news">News</a></nav>
<article>
  <h1>Da Nang approves airport light-rail line</h1>
  <p class="dek-meta"><time datetime="2025-10-09">October 9, 2025</time></p>
  <p>${EN_PARAGRAPHS[0]}</p>
  <p>${EN_PARAGRAPHS[1]}</p>
  <figure><img src="/img/rail.jpg"><figcaption>A tram in Da Nang. Photo: Delta Daily</figcaption></figure>
  <p>${EN_PARAGRAPHS[2]}</p>
  <p>${EN_PARAGRAPHS[3]}</p>
  <div class="read-more"><p>Read more: Hanoi metro line 3 opens to passengers</p></div>
</article>
<aside class="related"><h2>Related stories</h2><ul><li><a href="/x">Hanoi metro line 3 opens to passengers</a></li><li><a href="/y">Ho Chi Minh City buses go electric</a></li></ul></aside>
</div>`,
  );
}

export const NO_DATE_PARAGRAPHS = [
  'La bibliothèque municipale de Hué rouvre ses portes après dix-huit mois de travaux de rénovation, avec une nouvelle salle consacrée aux manuscrits anciens.',
  'Les lecteurs pourront consulter sur place plus de deux mille documents de la dynastie des Nguyen, numérisés avec l’aide de l’École française d’Extrême-Orient.',
  'L’entrée reste gratuite pour les étudiants et les habitants de la ville.',
];

export function noDateArticle(): string {
  return chrome(
    'fr',
    '<title>Hué : la bibliothèque rouvre</title>',
    `<main><article><h1>Hué : la bibliothèque municipale rouvre ses portes</h1>
${NO_DATE_PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
</article></main>`,
  );
}

export const DATELINE_PARAGRAPHS = [
  'LYON, 3 septembre 2024 (AFP) – La métropole de Lyon a présenté mardi un plan de plantation de 30 000 arbres d’ici à 2030 pour lutter contre les îlots de chaleur urbains.',
  'Les premières plantations commenceront cet hiver dans les quartiers de la Guillotière et de Vaise, où la température dépasse souvent de quatre degrés celle des parcs.',
  'Le plan, estimé à 45 millions d’euros, sera financé en partie par le fonds vert de l’État.',
];

export function datelineArticle(): string {
  return chrome(
    'fr',
    '<title>Lyon veut planter 30 000 arbres</title>',
    `<main><article><h1>Lyon veut planter 30 000 arbres d’ici à 2030</h1>
${DATELINE_PARAGRAPHS.map((p) => `<p>${p}</p>`).join('\n')}
</article></main>`,
  );
}

export const LATIN1_PARAGRAPHS = [
  'Le théâtre municipal de Nantes a accueilli vendredi la première représentation de « La Cerisaie » mise en scène par une troupe franco-vietnamienne, devant une salle comble.',
  'Après Nantes, la pièce sera jouée à Hô Chi Minh-Ville et à Hanoï au printemps, en français surtitré en vietnamien.',
  'Les comédiens ont été longuement applaudis, et la troupe a été invitée à revenir l’été prochain pour le festival des arts de la rue.',
];

/** An ISO-8859-1 page: the bytes, and its charset declared only in a <meta> (not in the header). */
export function latin1Article(): Buffer {
  const html = `<!DOCTYPE html><html lang="fr"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Nantes : La Cerisaie franco-vietnamienne</title>
<meta name="date" content="2025-03-21">
</head><body><nav><a href="/">Accueil</a> | <a href="/culture">Culture</a></nav>
<div id="content"><h1>Nantes : une Cerisaie franco-vietnamienne</h1>
${LATIN1_PARAGRAPHS.map((p) => `<p>${p.replace('’', "'")}</p>`).join('\n')}
</div></body></html>`;
  return Buffer.from(html, 'latin1');
}

/** The latin-1 paragraphs as they come out (the page uses a straight apostrophe). */
export const LATIN1_EXPECTED = LATIN1_PARAGRAPHS.map((p) => p.replace('’', "'"));

/** An article of about `bytes` of text, for the "large /add" test. */
export function largeArticle(bytes: number): string {
  const sentences = [
    'Le comité de bassin du Mékong a publié son rapport annuel sur la qualité de l’eau dans les provinces du delta.',
    'Les mesures de salinité ont été relevées dans quarante stations entre janvier et juin.',
    'Les auteurs recommandent de renforcer la surveillance des nappes phréatiques côtières.',
  ];
  const paragraphs: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const p = `Station ${i} : ${sentences[i % 3]} ${sentences[(i + 1) % 3]} Relevé numéro ${i * 7 + 3} du réseau ${i % 17}.`;
    paragraphs.push(`<p>${p}</p>`);
    size += p.length + 8;
  }
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Rapport du Mékong</title><meta name="date" content="2025-06-30"></head>
<body><article><h1>Rapport annuel sur la qualité de l’eau du Mékong</h1>${paragraphs.join('\n')}</article></body></html>`;
}

export function rssFeed(origin: string, items: { path: string; title: string; pubDate: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Le Quotidien du Delta</title><link>${origin}/</link><description>Actualités</description>
${items.map((i) => `<item><title>${i.title}</title><link>${origin}${i.path}</link><guid isPermaLink="true">${origin}${i.path}</guid><pubDate>${i.pubDate}</pubDate></item>`).join('\n')}
</channel></rss>`;
}

export function atomFeed(origin: string, entries: { path: string; title: string; published: string }[]): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Delta Daily</title><id>${origin}/atom</id><updated>2025-10-20T00:00:00Z</updated>
${entries.map((e) => `<entry><title>${e.title}</title><id>${origin}${e.path}</id><link rel="alternate" href="${origin}${e.path}"/><published>${e.published}</published><updated>${e.published}</updated></entry>`).join('\n')}
</feed>`;
}

/** A short article page whose only date is the one a feed gives. */
export function undatedStory(title: string, paragraphs: string[]): string {
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>${title}</title></head>
<body><nav><a href="/">Accueil</a></nav><article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></body></html>`;
}
