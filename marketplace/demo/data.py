"""Static vocabulary for the demo marketplace: categories, people, places and the words gigs,
reviews and profiles are assembled from.

Kept apart from the generator (demo_seed.py) so the logic stays short and the wording can be
improved without touching it. Everything here is plain data; nothing is random.

Title templates use `{placeholders}` filled from the category's `fill` table; every filled title
must stay within 15..80 characters (tests/integration/test_seed.py checks the generated ones).
"""

from __future__ import annotations

from dataclasses import dataclass

# --------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subcategory:
    name: str
    slug: str
    description: str
    titles: tuple[str, ...]  # "I will ..." templates
    tags: tuple[str, ...]  # lowercase search tags


@dataclass(frozen=True)
class Requirement:
    question: str
    kind: str  # text | choice | file
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopCategory:
    name: str
    slug: str
    icon: str  # lucide icon name
    description: str
    subcategories: tuple[Subcategory, ...]
    fill: dict[str, tuple[str, ...]]  # values for the title placeholders
    features: tuple[str, ...]  # package feature rows ("Source file", "Responsive design" ...)
    tier_descriptions: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    extras: tuple[tuple[str, str], ...]  # (title, description) of custom extras
    requirements: tuple[Requirement, ...]
    faqs: tuple[tuple[str, str], ...]
    intros: tuple[str, ...]  # first paragraph of a gig description; {sub} = subcategory
    deliverables: tuple[str, ...]  # "What you get" lines
    skills: tuple[str, ...]
    headlines: tuple[str, ...]
    job_titles: tuple[str, ...]
    degrees: tuple[str, ...]
    certifications: tuple[tuple[str, str], ...]  # (title, issuer)
    portfolio_items: tuple[str, ...]
    price_band: tuple[int, int]  # basic package price range in cents
    weight: int = 10  # share of freelancers whose main field this is


def _sub(name: str, slug: str, description: str, titles: tuple[str, ...], tags: tuple[str, ...]):
    return Subcategory(name, slug, description, titles, tags)


CATEGORIES: tuple[TopCategory, ...] = (
    TopCategory(
        name="Graphics & Design",
        slug="graphics-design",
        icon="palette",
        description="Logos, brand identities, illustrations and interfaces that look the part.",
        subcategories=(
            _sub(
                "Logo Design",
                "logo-design",
                "Distinctive logos and brand marks.",
                (
                    "I will design a {style} logo for your {business}",
                    "I will create a {style} {logo_kind} logo with source files",
                    "I will design 3 unique logo concepts for your {business}",
                    "I will redesign your old logo into a {style} brand mark",
                    "I will craft a {style} {logo_kind} logo and brand kit",
                ),
                ("logo", "logo design", "branding", "minimalist logo", "brand identity"),
            ),
            _sub(
                "Brand Style Guides",
                "brand-style-guides",
                "Colour, type and usage rules that keep a brand consistent.",
                (
                    "I will create a complete brand style guide for your {business}",
                    "I will design a {style} brand identity and style guide",
                    "I will build a brand book with colors, fonts and logo rules",
                ),
                ("brand guide", "style guide", "brand identity", "branding", "visual identity"),
            ),
            _sub(
                "Illustration",
                "illustration",
                "Hand-drawn and digital illustrations for books, sites and products.",
                (
                    "I will draw a {style} {illustration} for your project",
                    "I will illustrate your children's book in a {style} style",
                    "I will create {style} vector illustrations for your website",
                    "I will draw a custom {illustration} from your photo",
                ),
                ("illustration", "digital art", "vector art", "character design", "drawing"),
            ),
            _sub(
                "UI & UX Design",
                "ui-ux-design",
                "Interfaces for websites and apps, from wireframe to polished Figma.",
                (
                    "I will design a {style} website UI in Figma",
                    "I will design a mobile app UI and UX for your {business}",
                    "I will create a landing page design that converts",
                    "I will redesign your SaaS dashboard with a {style} look",
                ),
                ("ui design", "ux design", "figma", "web design", "app design"),
            ),
        ),
        fill={
            "style": (
                "modern",
                "minimalist",
                "elegant",
                "bold",
                "vintage",
                "playful",
                "luxury",
                "geometric",
                "flat",
                "hand-drawn",
            ),
            "business": (
                "startup",
                "small business",
                "restaurant",
                "podcast",
                "clothing brand",
                "tech company",
                "coffee shop",
                "fitness studio",
                "real estate agency",
                "bakery",
                "law firm",
                "esports team",
                "nonprofit",
                "beauty salon",
            ),
            "logo_kind": ("wordmark", "lettermark", "mascot", "emblem", "monogram", "badge"),
            "illustration": (
                "portrait",
                "cartoon character",
                "book cover",
                "pet portrait",
                "map",
                "mascot",
                "poster",
            ),
        },
        features=(
            "Logo transparency",
            "Vector file",
            "Printable file",
            "Source file",
            "3D mockup",
            "Social media kit",
            "Stationery designs",
            "Commercial use",
        ),
        tier_descriptions=(
            (
                "One concept in high resolution, ready for the web.",
                "A single clean design with a transparent PNG.",
            ),
            (
                "Three concepts, vector files and a transparent background.",
                "Two refined concepts plus print-ready files.",
            ),
            (
                "Five concepts, full source files, mockups and a social media kit.",
                "The complete package: all formats, stationery and brand guidelines.",
            ),
        ),
        extras=(
            ("Social media kit", "Profile and cover images sized for the main networks."),
            ("Source file (AI, PSD or Figma)", "The editable working file."),
            ("Stationery design", "Business card, letterhead and email signature."),
            ("Extra concept", "One more initial concept to choose from."),
        ),
        requirements=(
            Requirement("What is your brand or business name, and do you have a slogan?", "text"),
            Requirement(
                "Which style do you prefer?",
                "choice",
                ("Minimalist", "Modern", "Vintage", "Playful", "Not sure yet"),
            ),
            Requirement("Upload examples of designs you like (optional).", "file"),
            Requirement("Which colours should we use or avoid?", "text"),
        ),
        faqs=(
            (
                "Do I get the copyright?",
                "Yes. Once the order is complete, you own the final design outright.",
            ),
            (
                "Which file formats will I receive?",
                "PNG and JPG in every package; SVG, PDF and source files from Standard up.",
            ),
            (
                "Can you work from my sketch?",
                "Absolutely. Attach it with the requirements and I will build on it.",
            ),
        ),
        intros=(
            "Good {sub_lower} makes people trust you before they have read a single word. "
            "I design clean, memorable work that fits your audience and scales from a favicon "
            "to a billboard.",
            "You need {sub_lower} that looks professional and feels like you. I listen first, "
            "sketch second and polish until every curve earns its place.",
        ),
        deliverables=(
            "Original artwork made from scratch, never templates",
            "High-resolution PNG and JPG files",
            "Vector files (SVG, PDF, EPS) on higher packages",
            "A short presentation explaining the design choices",
            "Colour palette and font names",
        ),
        skills=(
            "Adobe Illustrator",
            "Adobe Photoshop",
            "Figma",
            "Logo design",
            "Brand identity",
            "Typography",
            "Illustration",
            "Procreate",
            "UI design",
            "Affinity Designer",
        ),
        headlines=(
            "Brand identity designer helping startups stand out",
            "Logo and brand designer with a minimalist touch",
            "Illustrator for books, brands and merch",
            "Product designer: clean UI that users understand",
            "Graphic designer focused on bold, timeless logos",
        ),
        job_titles=("Graphic Designer", "Brand Designer", "Illustrator", "UI Designer"),
        degrees=("BA in Graphic Design", "BFA in Illustration", "BA in Visual Communication"),
        certifications=(
            ("Adobe Certified Professional in Graphic Design", "Adobe"),
            ("Google UX Design Certificate", "Google"),
            ("Figma Professional Certification", "Figma"),
        ),
        portfolio_items=("Brand identity case study", "Logo collection", "Illustration series"),
        price_band=(1_000, 10_000),
        weight=16,
    ),
    TopCategory(
        name="Programming & Tech",
        slug="programming-tech",
        icon="code",
        description="Websites, apps, integrations and fixes from experienced developers.",
        subcategories=(
            _sub(
                "Website Development",
                "website-development",
                "Custom websites, from landing pages to full web applications.",
                (
                    "I will build a responsive website with {framework}",
                    "I will develop a custom web app using {framework}",
                    "I will create a fast landing page for your {business}",
                    "I will fix bugs and add features to your {framework} site",
                ),
                ("web development", "website", "full stack", "frontend", "backend"),
            ),
            _sub(
                "Mobile Apps",
                "mobile-apps",
                "iOS and Android apps, native or cross-platform.",
                (
                    "I will develop a {mobile} app for iOS and Android",
                    "I will build an MVP mobile app for your {business}",
                    "I will fix crashes and bugs in your {mobile} app",
                ),
                ("mobile app", "ios", "android", "flutter", "react native"),
            ),
            _sub(
                "WordPress",
                "wordpress",
                "Themes, plugins, speed and security for WordPress sites.",
                (
                    "I will build a professional WordPress website for your {business}",
                    "I will speed up your WordPress site to load under 2 seconds",
                    "I will fix WordPress errors and remove malware",
                    "I will create a WooCommerce store with {count} products",
                ),
                ("wordpress", "woocommerce", "elementor", "website speed", "wordpress fix"),
            ),
            _sub(
                "DevOps & Cloud",
                "devops-cloud",
                "Deployments, CI pipelines, containers and cloud setup.",
                (
                    "I will set up CI/CD pipelines with {ci}",
                    "I will deploy your app on {cloud} with Docker",
                    "I will set up monitoring and alerts for your servers",
                    "I will write Terraform for your {cloud} infrastructure",
                ),
                ("devops", "docker", "kubernetes", "aws", "ci cd"),
            ),
        ),
        fill={
            "framework": (
                "React",
                "Next.js",
                "Django",
                "Laravel",
                "Vue",
                "Svelte",
                "Python",
                "Node.js",
                "Ruby on Rails",
            ),
            "mobile": ("Flutter", "React Native", "Swift", "Kotlin"),
            "business": (
                "startup",
                "small business",
                "restaurant",
                "agency",
                "online store",
                "clinic",
                "portfolio",
                "SaaS product",
            ),
            "count": ("20", "50", "100", "200"),
            "ci": ("GitHub Actions", "GitLab CI", "Jenkins", "CircleCI"),
            "cloud": ("AWS", "Google Cloud", "Azure", "DigitalOcean", "Hetzner"),
        },
        features=(
            "Responsive design",
            "Source code",
            "Content upload",
            "Payment integration",
            "Deployment",
            "Documentation",
            "Automated tests",
            "Number of pages",
        ),
        tier_descriptions=(
            (
                "A focused fix or a single page, tested and documented.",
                "Small task up to about 3 hours of work.",
            ),
            (
                "Up to 5 pages or a medium feature, with deployment.",
                "A complete small project with source code and handover notes.",
            ),
            (
                "Full project: design integration, payments, tests and deployment.",
                "Everything in Standard plus automated tests and 30 days of support.",
            ),
        ),
        extras=(
            ("30 days of support", "Bug fixes and small tweaks for a month after delivery."),
            ("Additional page", "One more page built to the same standard."),
            ("Deployment to your server", "I will deploy and verify the project for you."),
            ("Code walkthrough call", "A 30-minute call explaining the code base."),
        ),
        requirements=(
            Requirement("Describe the project and the result you need.", "text"),
            Requirement(
                "Which stack are you using?",
                "choice",
                ("React / Next.js", "Django / Python", "PHP / Laravel", "WordPress", "Other"),
            ),
            Requirement("Share access details or a link to the repository.", "text"),
            Requirement("Attach any designs, specs or screenshots.", "file"),
        ),
        faqs=(
            (
                "Will I get the source code?",
                "Yes, the full source code is yours and delivered through your repository.",
            ),
            (
                "Do you work on existing projects?",
                "Yes. Send me a message with the repository and I will review it first.",
            ),
            (
                "Is hosting included?",
                "Hosting is not included, but I can deploy to the provider of your choice.",
            ),
        ),
        intros=(
            "I build {sub_lower} that is fast, secure and easy to maintain. Clean code, clear "
            "communication and honest estimates are what my clients keep coming back for.",
            "Need {sub_lower} done right the first time? I have shipped projects for startups "
            "and established companies and I treat your code as if it were mine.",
        ),
        deliverables=(
            "Clean, commented source code",
            "Responsive layout tested on phones, tablets and desktops",
            "Deployment and a short handover document",
            "Regular progress updates",
            "Bug fixes for issues found after delivery",
        ),
        skills=(
            "Python",
            "JavaScript",
            "TypeScript",
            "React",
            "Django",
            "Node.js",
            "PostgreSQL",
            "Docker",
            "AWS",
            "WordPress",
            "Flutter",
            "PHP",
        ),
        headlines=(
            "Full-stack developer building fast, reliable web apps",
            "WordPress expert: speed, security and custom themes",
            "Mobile developer shipping Flutter apps to both stores",
            "DevOps engineer who automates the boring parts",
            "Senior Python developer for APIs and integrations",
        ),
        job_titles=("Software Engineer", "Full-Stack Developer", "DevOps Engineer"),
        degrees=("BSc in Computer Science", "BEng in Software Engineering", "MSc in Computing"),
        certifications=(
            ("AWS Certified Developer - Associate", "Amazon Web Services"),
            ("Certified Kubernetes Application Developer", "The Linux Foundation"),
            ("Meta Front-End Developer Certificate", "Meta"),
        ),
        portfolio_items=("E-commerce web app", "Booking platform", "Open source library"),
        price_band=(2_500, 30_000),
        weight=18,
    ),
    TopCategory(
        name="Digital Marketing",
        slug="digital-marketing",
        icon="megaphone",
        description="Search, social and email campaigns that bring the right customers.",
        subcategories=(
            _sub(
                "SEO",
                "seo",
                "Technical audits, keyword research and link strategy.",
                (
                    "I will do a complete SEO audit of your website",
                    "I will do keyword research for your {business}",
                    "I will optimize your {platform} store for Google",
                    "I will fix technical SEO issues on your site",
                ),
                ("seo", "keyword research", "seo audit", "on page seo", "google ranking"),
            ),
            _sub(
                "Social Media Marketing",
                "social-media-marketing",
                "Strategy, content calendars and community management.",
                (
                    "I will manage your {social} account for a month",
                    "I will create a {social} content calendar for your brand",
                    "I will grow your {social} audience organically",
                ),
                ("social media", "instagram", "tiktok", "content calendar", "marketing"),
            ),
            _sub(
                "Search Engine Marketing",
                "search-engine-marketing",
                "Paid search campaigns that pay for themselves.",
                (
                    "I will set up and manage your Google Ads campaigns",
                    "I will audit your Google Ads account and cut wasted spend",
                    "I will run {social} ads for your {business}",
                ),
                ("google ads", "ppc", "sem", "facebook ads", "paid ads"),
            ),
            _sub(
                "Email Marketing",
                "email-marketing",
                "Newsletters, automations and list growth.",
                (
                    "I will set up {email} automations that sell",
                    "I will design and write your {email} newsletter",
                    "I will build a welcome email sequence for your {business}",
                ),
                ("email marketing", "newsletter", "klaviyo", "mailchimp", "automation"),
            ),
        ),
        fill={
            "business": (
                "local business",
                "online store",
                "SaaS startup",
                "dental clinic",
                "law firm",
                "blog",
                "agency",
                "restaurant",
            ),
            "platform": ("Shopify", "WooCommerce", "Wix", "Squarespace"),
            "social": ("Instagram", "TikTok", "LinkedIn", "Facebook", "Pinterest", "YouTube"),
            "email": ("Klaviyo", "Mailchimp", "ConvertKit", "Brevo"),
        },
        features=(
            "Keyword research",
            "Competitor analysis",
            "Campaign setup",
            "Ad copy",
            "Monthly report",
            "Content calendar",
            "Audience targeting",
        ),
        tier_descriptions=(
            (
                "An audit with clear, prioritised recommendations.",
                "Setup of one channel with a short report.",
            ),
            (
                "Strategy plus hands-on setup of two channels.",
                "A month of management with weekly check-ins.",
            ),
            (
                "Full-funnel strategy, setup, management and monthly reporting.",
                "Everything in Standard with competitor tracking and A/B tests.",
            ),
        ),
        extras=(
            ("Competitor report", "A deep look at three competitors and their channels."),
            ("Extra month of management", "Keep the campaigns running another month."),
            ("Looker Studio dashboard", "A live dashboard with your key numbers."),
        ),
        requirements=(
            Requirement("What is your website address?", "text"),
            Requirement(
                "What is your monthly marketing budget?",
                "choice",
                ("Under $500", "$500 - $2,000", "$2,000 - $10,000", "Over $10,000"),
            ),
            Requirement("Who is your ideal customer?", "text"),
        ),
        faqs=(
            (
                "Do you guarantee first-page rankings?",
                "No honest marketer can. I guarantee sound work and transparent reporting.",
            ),
            (
                "Is ad spend included?",
                "No. Ad spend is paid by you directly to the platform.",
            ),
            (
                "How soon will I see results?",
                "Paid campaigns show data within days; SEO usually takes two to four months.",
            ),
        ),
        intros=(
            "Traffic is easy to buy and hard to earn. My {sub_lower} work focuses on customers "
            "who actually convert, measured in numbers you can check yourself.",
            "I help businesses grow with {sub_lower} built on research, not guesswork. You get a "
            "plan, the setup and plain-English reports.",
        ),
        deliverables=(
            "A written strategy tailored to your market",
            "Setup of tracking so results can be measured",
            "Clear report with next steps",
            "Recommendations ranked by impact and effort",
        ),
        skills=(
            "SEO",
            "Google Ads",
            "Meta Ads",
            "Google Analytics",
            "Klaviyo",
            "Content strategy",
            "Copywriting",
            "Ahrefs",
            "Semrush",
        ),
        headlines=(
            "SEO specialist growing organic traffic for online stores",
            "Paid ads manager with a focus on return on ad spend",
            "Social media strategist for lifestyle brands",
            "Email marketer: automations that earn while you sleep",
        ),
        job_titles=("Marketing Manager", "SEO Specialist", "Performance Marketer"),
        degrees=("BBA in Marketing", "BA in Communications", "MSc in Digital Marketing"),
        certifications=(
            ("Google Ads Search Certification", "Google"),
            ("Google Analytics Certification", "Google"),
            ("HubSpot Inbound Marketing", "HubSpot Academy"),
            ("Meta Certified Media Buying Professional", "Meta"),
        ),
        portfolio_items=("Traffic growth case study", "Ad campaign results", "Email flow audit"),
        price_band=(2_000, 15_000),
        weight=12,
    ),
    TopCategory(
        name="Writing & Translation",
        slug="writing-translation",
        icon="pen-tool",
        description="Articles, copy, editing and translation by native-level writers.",
        subcategories=(
            _sub(
                "Articles & Blog Posts",
                "articles-blog-posts",
                "Researched, readable posts that rank and get shared.",
                (
                    "I will write {words} word SEO blog posts about {topic}",
                    "I will write engaging articles on {topic}",
                    "I will ghostwrite a thought leadership article about {topic}",
                ),
                ("blog writing", "article writing", "seo writing", "content writing", "blog"),
            ),
            _sub(
                "Translation",
                "translation",
                "Human translation between the major languages.",
                (
                    "I will translate English to {language} accurately",
                    "I will translate your website into {language}",
                    "I will proofread your {language} translation",
                ),
                ("translation", "translator", "localization", "human translation", "language"),
            ),
            _sub(
                "Proofreading & Editing",
                "proofreading-editing",
                "Grammar, clarity and style, with tracked changes.",
                (
                    "I will proofread and edit your {document}",
                    "I will copy edit your {document} in 24 hours",
                    "I will polish your {document} for grammar and flow",
                ),
                ("proofreading", "editing", "grammar", "copy editing", "english"),
            ),
            _sub(
                "Website & Sales Copy",
                "website-sales-copy",
                "Words that explain clearly and sell honestly.",
                (
                    "I will write persuasive website copy for your {business}",
                    "I will write a high-converting sales page",
                    "I will write product descriptions for your {business}",
                ),
                (
                    "copywriting",
                    "website copy",
                    "sales copy",
                    "landing page",
                    "product descriptions",
                ),
            ),
            _sub(
                "Resume Writing",
                "resume-writing",
                "CVs, cover letters and LinkedIn profiles that get interviews.",
                (
                    "I will write a professional resume and cover letter",
                    "I will rewrite your LinkedIn profile to attract recruiters",
                    "I will write an ATS-friendly resume for {field} roles",
                ),
                ("resume", "cv", "cover letter", "linkedin", "career"),
            ),
        ),
        fill={
            "words": ("500", "800", "1000", "1500", "2000"),
            "topic": (
                "tech and SaaS",
                "personal finance",
                "health and fitness",
                "travel",
                "real estate",
                "crypto",
                "marketing",
                "parenting",
                "pets",
                "B2B software",
            ),
            "language": (
                "Spanish",
                "French",
                "German",
                "Portuguese",
                "Italian",
                "Arabic",
                "Japanese",
                "Dutch",
            ),
            "document": (
                "book manuscript",
                "thesis",
                "business document",
                "blog post",
                "academic paper",
                "website",
            ),
            "business": ("startup", "online store", "agency", "coaching business", "SaaS"),
            "field": ("tech", "finance", "healthcare", "marketing", "engineering"),
        },
        features=(
            "Topic research",
            "SEO keywords",
            "References & citations",
            "Plagiarism check",
            "Proofreading",
            "Formatting",
            "Meta description",
        ),
        tier_descriptions=(
            (
                "Up to 500 words, carefully researched and proofread.",
                "A short piece, written once and polished twice.",
            ),
            (
                "Up to 1,000 words with SEO keywords and a meta description.",
                "A longer piece with research notes and sources.",
            ),
            (
                "Up to 2,000 words, in-depth research, images suggested and formatting.",
                "Long-form work with citations, formatting and a second revision round.",
            ),
        ),
        extras=(
            ("Extra 500 words", "Extend the piece by another 500 words."),
            ("Upload to your CMS", "I will format and publish it on your site."),
            ("Royalty-free images", "Three suitable images with licence details."),
        ),
        requirements=(
            Requirement("What topic, keywords or document should I work on?", "text"),
            Requirement(
                "What tone do you want?",
                "choice",
                ("Professional", "Friendly", "Academic", "Persuasive", "Playful"),
            ),
            Requirement("Attach the document or any reference material.", "file"),
        ),
        faqs=(
            (
                "Is the content original?",
                "Every piece is written from scratch and checked for plagiarism.",
            ),
            (
                "Do you use AI tools?",
                "I write every piece myself; I may use tools only for spelling checks.",
            ),
            (
                "Which English do you use?",
                "American or British English, whichever you prefer.",
            ),
        ),
        intros=(
            "Words are the first impression most customers get. I write {sub_lower} that is "
            "clear, well researched and sounds like a person, not a template.",
            "I have written {sub_lower} for brands, founders and publishers. You get clean, "
            "original text delivered on time and ready to publish.",
        ),
        deliverables=(
            "Original, human-written text",
            "Delivered in Google Docs or Word",
            "Checked for grammar and plagiarism",
            "Headings and structure that make it easy to skim",
        ),
        skills=(
            "Copywriting",
            "SEO writing",
            "Editing",
            "Proofreading",
            "Translation",
            "Technical writing",
            "Ghostwriting",
            "Research",
        ),
        headlines=(
            "Copywriter who turns features into benefits",
            "SEO content writer for SaaS and tech",
            "Native translator with a publishing background",
            "Editor and proofreader for authors and academics",
            "Resume writer who helped 500+ people land interviews",
        ),
        job_titles=("Content Writer", "Editor", "Translator", "Copywriter"),
        degrees=("BA in English Literature", "BA in Journalism", "MA in Translation Studies"),
        certifications=(
            ("HubSpot Content Marketing", "HubSpot Academy"),
            ("Certified Professional Resume Writer", "PARW/CC"),
            ("ATA Certified Translator", "American Translators Association"),
        ),
        portfolio_items=("Published articles", "Website copy samples", "Translated brochure"),
        price_band=(1_000, 8_000),
        weight=12,
    ),
    TopCategory(
        name="Video & Animation",
        slug="video-animation",
        icon="video",
        description="Editing, explainers and motion graphics that hold attention.",
        subcategories=(
            _sub(
                "Video Editing",
                "video-editing",
                "Cuts, colour and sound for every kind of footage.",
                (
                    "I will edit your {video} professionally",
                    "I will edit engaging {video} with captions and music",
                    "I will color grade and edit your {video}",
                ),
                ("video editing", "youtube", "premiere pro", "color grading", "editing"),
            ),
            _sub(
                "Explainer Videos",
                "explainer-videos",
                "Short animated videos that explain a product.",
                (
                    "I will create a {style} animated explainer video",
                    "I will make a 2D explainer video for your {business}",
                    "I will produce a whiteboard animation for your product",
                ),
                ("explainer video", "animation", "2d animation", "motion graphics", "whiteboard"),
            ),
            _sub(
                "Logo Animation",
                "logo-animation",
                "Animated logos and intros.",
                (
                    "I will animate your logo with a {style} intro",
                    "I will create a {style} logo reveal for your videos",
                ),
                ("logo animation", "intro", "logo reveal", "after effects", "motion"),
            ),
            _sub(
                "Short Video Ads",
                "short-video-ads",
                "Vertical ads and reels made for social feeds.",
                (
                    "I will create {social} video ads that stop the scroll",
                    "I will make UGC style video ads for your {business}",
                    "I will edit {social} reels for your brand",
                ),
                ("video ads", "reels", "tiktok", "ugc", "social media video"),
            ),
        ),
        fill={
            "video": (
                "YouTube videos",
                "wedding video",
                "podcast video",
                "travel vlog",
                "real estate video",
                "course videos",
                "gaming videos",
            ),
            "style": ("modern", "minimal", "energetic", "cinematic", "playful", "corporate"),
            "business": ("SaaS product", "app", "startup", "online course", "service business"),
            "social": ("TikTok", "Instagram", "YouTube Shorts", "Facebook"),
        },
        features=(
            "Footage provided",
            "Background music",
            "Subtitles",
            "Color grading",
            "Motion graphics",
            "Source file",
            "Voice over",
        ),
        tier_descriptions=(
            (
                "Up to 3 minutes of footage, trimmed and cleaned up.",
                "A 15-second animation with music.",
            ),
            (
                "Up to 10 minutes with colour grading, captions and music.",
                "A 30-second animation with sound design.",
            ),
            (
                "Up to 20 minutes, motion graphics, captions and source files.",
                "A 60-second animation with voice over and source files.",
            ),
        ),
        extras=(
            ("Subtitles", "Burned-in or SRT subtitles in English."),
            ("Extra 30 seconds", "Lengthen the video by 30 seconds."),
            ("4K export", "Deliver in 4K resolution."),
            ("Thumbnail design", "An eye-catching thumbnail for the video."),
        ),
        requirements=(
            Requirement("Share a link to your footage or script.", "text"),
            Requirement(
                "Which aspect ratio do you need?",
                "choice",
                ("16:9 landscape", "9:16 vertical", "1:1 square", "Several"),
            ),
            Requirement("Upload your logo, fonts or brand assets.", "file"),
        ),
        faqs=(
            (
                "Can you add music?",
                "Yes, I use royalty-free tracks licensed for commercial use.",
            ),
            (
                "How do I send large files?",
                "Share a Google Drive, Dropbox or WeTransfer link in the requirements.",
            ),
        ),
        intros=(
            "Attention is short online. I make {sub_lower} that gets to the point, looks sharp "
            "and keeps people watching to the end.",
            "From raw footage to a finished video: I handle {sub_lower} with care for pacing, "
            "sound and the small details viewers notice.",
        ),
        deliverables=(
            "Full HD export ready to upload",
            "Licensed background music",
            "Clean cuts and smooth transitions",
            "A preview before the final render",
        ),
        skills=(
            "Adobe Premiere Pro",
            "After Effects",
            "DaVinci Resolve",
            "Final Cut Pro",
            "Motion graphics",
            "Color grading",
            "Storyboarding",
        ),
        headlines=(
            "Video editor for YouTubers and course creators",
            "Motion designer making explainers people finish",
            "Short-form editor: reels, shorts and TikToks",
        ),
        job_titles=("Video Editor", "Motion Designer", "Animator"),
        degrees=("BA in Film Production", "BA in Animation", "Diploma in Multimedia"),
        certifications=(
            ("Adobe Certified Professional in Video Design", "Adobe"),
            ("DaVinci Resolve Certified User", "Blackmagic Design"),
        ),
        portfolio_items=("Showreel", "Explainer video", "YouTube channel edits"),
        price_band=(1_500, 20_000),
        weight=9,
    ),
    TopCategory(
        name="Music & Audio",
        slug="music-audio",
        icon="music",
        description="Voice over, mixing, podcasts and original music.",
        subcategories=(
            _sub(
                "Voice Over",
                "voice-over",
                "Professional voices for ads, videos and audiobooks.",
                (
                    "I will record a {voice} voice over for your {use}",
                    "I will be the {voice} voice of your brand",
                ),
                ("voice over", "voice actor", "narration", "audiobook", "commercial"),
            ),
            _sub(
                "Mixing & Mastering",
                "mixing-mastering",
                "Radio-ready mixes and masters.",
                (
                    "I will mix and master your {genre} song",
                    "I will professionally master your {genre} track",
                ),
                ("mixing", "mastering", "audio engineer", "music production", "song"),
            ),
            _sub(
                "Podcast Editing",
                "podcast-editing",
                "Clean, listenable podcast episodes.",
                (
                    "I will edit your podcast episode and remove filler words",
                    "I will produce your podcast with intro, outro and show notes",
                ),
                ("podcast editing", "podcast", "audio editing", "show notes", "audio cleanup"),
            ),
            _sub(
                "Music Production",
                "music-production",
                "Beats, jingles and full arrangements.",
                (
                    "I will produce a custom {genre} beat",
                    "I will compose a catchy jingle for your {use}",
                    "I will write original background music for your {use}",
                ),
                ("music production", "beat", "jingle", "composer", "background music"),
            ),
        ),
        fill={
            "voice": ("warm", "deep", "friendly", "British", "American", "energetic", "calm"),
            "use": ("commercial", "explainer video", "podcast", "YouTube channel", "game", "ad"),
            "genre": ("hip hop", "pop", "rock", "EDM", "lo-fi", "R&B", "country", "cinematic"),
        },
        features=(
            "Number of words",
            "Background music",
            "Sound effects",
            "Commercial use",
            "Source files",
            "Noise removal",
        ),
        tier_descriptions=(
            (
                "Up to 150 words or one short track, broadcast quality.",
                "One song or episode, cleaned and balanced.",
            ),
            (
                "Up to 400 words or a full track with two variations.",
                "Full mix plus a streaming-ready master.",
            ),
            (
                "Up to 1,000 words or a full production with stems.",
                "Mix, master, stems and an instrumental version.",
            ),
        ),
        extras=(
            ("Stems", "Each instrument or voice track delivered separately."),
            ("Broadcast rights", "Rights for TV and radio use."),
            ("Extra 100 words", "Another 100 words recorded in the same session."),
        ),
        requirements=(
            Requirement("Paste your script or describe the sound you want.", "text"),
            Requirement(
                "Where will the audio be used?",
                "choice",
                ("Online video", "Podcast", "Radio or TV", "Game", "Other"),
            ),
            Requirement("Upload your tracks or reference audio.", "file"),
        ),
        faqs=(
            (
                "What format will I receive?",
                "WAV and MP3 at full quality; other formats on request.",
            ),
            (
                "Do you have a professional studio?",
                "Yes, a treated room with studio microphones and monitors.",
            ),
        ),
        intros=(
            "Sound quality is the fastest way to sound professional. I deliver {sub_lower} that "
            "is clean, balanced and ready for any platform.",
            "I have worked on {sub_lower} for brands, artists and podcasters. Send me your "
            "brief and get studio-quality audio back.",
        ),
        deliverables=(
            "High-quality WAV and MP3 files",
            "Noise-free, balanced audio",
            "Commercial usage on request",
            "Fast turnaround and friendly revisions",
        ),
        skills=(
            "Pro Tools",
            "Logic Pro",
            "Ableton Live",
            "Audio editing",
            "Mixing",
            "Mastering",
            "Voice acting",
            "Sound design",
        ),
        headlines=(
            "Voice actor with a warm, trustworthy tone",
            "Mixing and mastering engineer for indie artists",
            "Podcast producer who makes shows sound great",
            "Composer writing music for ads and games",
        ),
        job_titles=("Audio Engineer", "Voice Actor", "Music Producer"),
        degrees=("BA in Music Production", "Diploma in Audio Engineering", "BMus in Composition"),
        certifications=(
            ("Avid Pro Tools Certified User", "Avid"),
            ("Ableton Certified Trainer", "Ableton"),
        ),
        portfolio_items=("Voice reel", "Mixing samples", "Podcast episodes"),
        price_band=(1_000, 12_000),
        weight=7,
    ),
    TopCategory(
        name="Business",
        slug="business",
        icon="briefcase",
        description="Plans, research, assistants and advice to run the business.",
        subcategories=(
            _sub(
                "Business Plans",
                "business-plans",
                "Investor-ready plans and financial models.",
                (
                    "I will write an investor-ready business plan for your {business}",
                    "I will build a financial model and forecast for your {business}",
                ),
                ("business plan", "financial model", "startup", "investor", "pitch"),
            ),
            _sub(
                "Virtual Assistant",
                "virtual-assistant",
                "Reliable help with admin, inbox and research.",
                (
                    "I will be your virtual assistant for {task}",
                    "I will handle {task} for your business",
                ),
                ("virtual assistant", "admin support", "data entry", "research", "email"),
            ),
            _sub(
                "Market Research",
                "market-research",
                "Competitors, customers and market sizing.",
                (
                    "I will do market research for your {business}",
                    "I will analyse your top 10 competitors",
                ),
                ("market research", "competitor analysis", "survey", "industry report", "tam"),
            ),
            _sub(
                "Presentations",
                "presentations",
                "Pitch decks and slides that tell a story.",
                (
                    "I will design a {style} pitch deck for your {business}",
                    "I will redesign your PowerPoint presentation",
                    "I will create a {style} Google Slides template",
                ),
                ("pitch deck", "presentation", "powerpoint", "google slides", "keynote"),
            ),
        ),
        fill={
            "business": (
                "startup",
                "restaurant",
                "ecommerce brand",
                "SaaS company",
                "cafe",
                "consultancy",
                "app",
            ),
            "task": (
                "email management",
                "calendar management",
                "data entry",
                "lead generation",
                "customer support",
                "online research",
            ),
            "style": ("modern", "clean", "bold", "corporate", "minimal"),
        },
        features=(
            "Executive summary",
            "Financial projections",
            "Competitor analysis",
            "Editable file",
            "Number of slides",
            "Hours of work",
        ),
        tier_descriptions=(
            (
                "A concise first version covering the essentials.",
                "Up to 5 hours of focused work.",
            ),
            (
                "A complete document with research and editable files.",
                "Up to 15 hours of work with a weekly summary.",
            ),
            (
                "Full package with financials, competitor analysis and two revision rounds.",
                "Up to 40 hours of work with a dedicated daily check-in.",
            ),
        ),
        extras=(
            ("Editable financial model", "The spreadsheet behind every number."),
            ("Extra 5 hours", "Five more hours of work."),
            ("Video call consultation", "A one-hour call to walk through the results."),
        ),
        requirements=(
            Requirement("Tell me about your business and what you need.", "text"),
            Requirement(
                "What stage is your business at?",
                "choice",
                ("Idea", "Pre-revenue", "Growing", "Established"),
            ),
            Requirement("Attach existing documents or data.", "file"),
        ),
        faqs=(
            (
                "Is my information kept confidential?",
                "Yes. I am happy to sign an NDA before we start.",
            ),
            (
                "Can you work in my time zone?",
                "I overlap with European and US hours most days.",
            ),
        ),
        intros=(
            "Running a business means too many jobs for one person. I take {sub_lower} off your "
            "plate and deliver work you can hand to investors, partners or your team.",
            "I have helped founders with {sub_lower} across many industries. Expect clear "
            "thinking, tidy documents and deadlines that hold.",
        ),
        deliverables=(
            "Editable Word, Excel, PowerPoint or Google files",
            "Research from reliable sources",
            "A summary of findings and next steps",
            "Confidential handling of your data",
        ),
        skills=(
            "Business planning",
            "Financial modelling",
            "Excel",
            "PowerPoint",
            "Market research",
            "Project management",
            "Notion",
            "Customer support",
        ),
        headlines=(
            "MBA consultant writing investor-ready business plans",
            "Reliable virtual assistant for busy founders",
            "Pitch deck designer who has helped raise $20M+",
            "Market researcher turning data into decisions",
        ),
        job_titles=("Business Consultant", "Executive Assistant", "Analyst"),
        degrees=("MBA", "BBA in Finance", "BA in Economics"),
        certifications=(
            ("Project Management Professional (PMP)", "PMI"),
            ("Google Project Management Certificate", "Google"),
            ("CFA Level I", "CFA Institute"),
        ),
        portfolio_items=("Sample business plan", "Pitch deck", "Market report"),
        price_band=(1_500, 25_000),
        weight=8,
    ),
    TopCategory(
        name="AI Services",
        slug="ai-services",
        icon="sparkles",
        description="Chatbots, automations and AI features built by practitioners.",
        subcategories=(
            _sub(
                "AI Chatbots",
                "ai-chatbots",
                "Assistants trained on your content.",
                (
                    "I will build an AI chatbot trained on your {source}",
                    "I will add an AI assistant to your {platform} site",
                ),
                ("ai chatbot", "chatgpt", "llm", "customer support bot", "rag"),
            ),
            _sub(
                "AI Agents & Automation",
                "ai-agents-automation",
                "Workflows that run themselves.",
                (
                    "I will automate your workflow with AI and {tool}",
                    "I will build an AI agent that handles {task}",
                ),
                ("ai automation", "ai agent", "zapier", "make", "n8n"),
            ),
            _sub(
                "AI Integrations",
                "ai-integrations",
                "AI features inside your product.",
                (
                    "I will integrate OpenAI or Claude APIs into your app",
                    "I will build a RAG search over your {source}",
                ),
                ("openai api", "ai integration", "llm app", "python", "langchain"),
            ),
            _sub(
                "AI Content Editing",
                "ai-content-editing",
                "Human editing of AI-written drafts.",
                (
                    "I will humanize and fact-check your AI written content",
                    "I will edit AI drafts into natural, on-brand copy",
                ),
                ("ai editing", "content editing", "humanize", "fact check", "copy editing"),
            ),
        ),
        fill={
            "source": ("documents", "website", "help center", "PDF library", "Notion workspace"),
            "platform": ("WordPress", "Shopify", "Webflow", "React"),
            "tool": ("Zapier", "Make", "n8n", "Python"),
            "task": ("lead qualification", "support tickets", "invoice processing", "research"),
        },
        features=(
            "Model integration",
            "Knowledge base setup",
            "Workflow steps",
            "Source code",
            "Deployment",
            "Usage documentation",
        ),
        tier_descriptions=(
            (
                "A proof of concept on one data source.",
                "One simple automation with three steps.",
            ),
            (
                "A working assistant on your content with a web widget.",
                "A multi-step automation with error handling.",
            ),
            (
                "Production setup: several sources, analytics and deployment.",
                "Complex agents with monitoring, documentation and a handover call.",
            ),
        ),
        extras=(
            ("Extra data source", "Connect one more knowledge source."),
            ("Monthly maintenance", "Monitoring and prompt tuning for a month."),
            ("Handover call", "A one-hour walkthrough for your team."),
        ),
        requirements=(
            Requirement("Describe the task you want AI to handle.", "text"),
            Requirement(
                "Which tools do you already use?",
                "choice",
                ("Zapier", "Make", "n8n", "Custom code", "None yet"),
            ),
            Requirement("Share sample data or documents.", "file"),
        ),
        faqs=(
            (
                "Which AI models do you use?",
                "The one that fits the job and budget: hosted APIs or open models.",
            ),
            (
                "Are API costs included?",
                "No, model usage is billed by the provider to your own account.",
            ),
        ),
        intros=(
            "AI is useful when it solves a real problem. I build {sub_lower} that saves hours "
            "every week, with guardrails so it stays accurate.",
            "I design and ship {sub_lower} for small teams and startups, with clear costs and "
            "no black boxes.",
        ),
        deliverables=(
            "A working solution connected to your tools",
            "Prompt and configuration documentation",
            "Tests on your real data",
            "Guidance on costs and limits",
        ),
        skills=(
            "Python",
            "OpenAI API",
            "LangChain",
            "Prompt engineering",
            "Zapier",
            "n8n",
            "Vector databases",
            "Machine learning",
        ),
        headlines=(
            "AI engineer building chatbots that know your business",
            "Automation expert connecting your tools with AI",
            "Machine learning developer for practical AI features",
        ),
        job_titles=("Machine Learning Engineer", "AI Developer", "Automation Specialist"),
        degrees=("MSc in Artificial Intelligence", "BSc in Data Science", "BSc in Mathematics"),
        certifications=(
            ("DeepLearning.AI Generative AI Specialization", "DeepLearning.AI"),
            ("TensorFlow Developer Certificate", "Google"),
            ("Google Cloud Professional ML Engineer", "Google Cloud"),
        ),
        portfolio_items=("Support chatbot", "Automation workflow", "RAG search demo"),
        price_band=(3_000, 40_000),
        weight=8,
    ),
    TopCategory(
        name="Data",
        slug="data",
        icon="database",
        description="Analysis, dashboards, scraping and clean data entry.",
        subcategories=(
            _sub(
                "Data Analysis",
                "data-analysis",
                "Answers from your numbers.",
                (
                    "I will analyse your data with {tool} and write a report",
                    "I will do statistical analysis for your {project}",
                ),
                ("data analysis", "statistics", "python", "excel", "report"),
            ),
            _sub(
                "Dashboards",
                "dashboards",
                "Interactive dashboards and KPI reports.",
                (
                    "I will build an interactive {bi} dashboard",
                    "I will create a KPI dashboard in {bi} for your {project}",
                ),
                ("dashboard", "power bi", "tableau", "looker studio", "data visualization"),
            ),
            _sub(
                "Web Scraping",
                "web-scraping",
                "Clean datasets from public websites.",
                (
                    "I will scrape data from any website into Excel or CSV",
                    "I will build a Python web scraper for your {project}",
                ),
                ("web scraping", "python", "data extraction", "scrapy", "automation"),
            ),
            _sub(
                "Data Entry",
                "data-entry",
                "Accurate entry, cleanup and conversion.",
                (
                    "I will do fast and accurate data entry in {tool}",
                    "I will clean and format your {tool} spreadsheet",
                ),
                ("data entry", "excel", "copy paste", "data cleaning", "spreadsheet"),
            ),
            _sub(
                "Databases",
                "databases",
                "Schema design, SQL and performance tuning.",
                (
                    "I will design and optimize your {db} database",
                    "I will write complex SQL queries for your {project}",
                ),
                ("sql", "database", "postgresql", "mysql", "query optimization"),
            ),
        ),
        fill={
            "tool": ("Excel", "Python", "R", "SPSS", "Google Sheets"),
            "project": ("research project", "business", "thesis", "startup", "online store"),
            "bi": ("Power BI", "Tableau", "Looker Studio", "Metabase"),
            "db": ("PostgreSQL", "MySQL", "SQL Server", "MongoDB"),
        },
        features=(
            "Data cleaning",
            "Charts and tables",
            "Source file",
            "Written report",
            "Interactive dashboard",
            "Number of rows",
        ),
        tier_descriptions=(
            (
                "Up to 1,000 rows or one simple analysis.",
                "A quick answer to one clear question.",
            ),
            (
                "Up to 10,000 rows with charts and a short report.",
                "A dashboard with up to five charts.",
            ),
            (
                "Large datasets, full report, dashboard and source files.",
                "Complete analysis with automation for future updates.",
            ),
        ),
        extras=(
            ("Extra 5,000 rows", "Process five thousand more rows."),
            ("Scheduled refresh", "Automate the data refresh daily or weekly."),
            ("Explainer video", "A short screen recording walking through the results."),
        ),
        requirements=(
            Requirement("Describe the data and the question you need answered.", "text"),
            Requirement(
                "Which output format do you want?",
                "choice",
                ("Excel", "CSV", "Google Sheets", "Power BI / Tableau", "PDF report"),
            ),
            Requirement("Upload your data file or a sample.", "file"),
        ),
        faqs=(
            (
                "Is my data safe?",
                "I only keep your data for the order and delete it after delivery.",
            ),
            (
                "Can you scrape any website?",
                "Only public data, respecting each site's terms and robots.txt.",
            ),
        ),
        intros=(
            "Data is only useful once someone can read it. I turn messy inputs into {sub_lower} "
            "that answers real questions and is easy to keep up to date.",
            "Accurate {sub_lower} with clear documentation: I double-check every number before "
            "it reaches you.",
        ),
        deliverables=(
            "Clean, well-structured files",
            "Documented steps you can repeat",
            "Charts that highlight what matters",
            "Quality checks on every delivery",
        ),
        skills=(
            "SQL",
            "Python",
            "pandas",
            "Excel",
            "Power BI",
            "Tableau",
            "Web scraping",
            "Statistics",
            "PostgreSQL",
        ),
        headlines=(
            "Data analyst turning spreadsheets into decisions",
            "Power BI developer building dashboards people use",
            "Python scraping specialist for clean datasets",
            "Accurate, fast data entry and cleanup",
        ),
        job_titles=("Data Analyst", "BI Developer", "Data Engineer"),
        degrees=("BSc in Statistics", "MSc in Data Science", "BSc in Economics"),
        certifications=(
            ("Microsoft Certified: Power BI Data Analyst Associate", "Microsoft"),
            ("Google Data Analytics Certificate", "Google"),
            ("Tableau Desktop Specialist", "Tableau"),
        ),
        portfolio_items=("Sales dashboard", "Scraped dataset", "Analysis report"),
        price_band=(1_000, 20_000),
        weight=8,
    ),
    TopCategory(
        name="Photography",
        slug="photography",
        icon="camera",
        description="Retouching, product shots and photo restoration.",
        subcategories=(
            _sub(
                "Photo Editing & Retouching",
                "photo-editing-retouching",
                "Natural retouching for portraits and products.",
                (
                    "I will professionally retouch your {photos}",
                    "I will edit and color correct {count} of your photos",
                ),
                ("photo editing", "retouching", "photoshop", "lightroom", "color correction"),
            ),
            _sub(
                "Product Photography",
                "product-photography",
                "Clean product shots for stores and marketplaces.",
                (
                    "I will shoot {style} product photos for your {store} store",
                    "I will take lifestyle photos of your products",
                ),
                ("product photography", "amazon", "ecommerce", "white background", "lifestyle"),
            ),
            _sub(
                "Background Removal",
                "background-removal",
                "Precise cutouts and white backgrounds.",
                (
                    "I will remove the background from {count} images",
                    "I will cut out your product photos for {store}",
                ),
                ("background removal", "clipping path", "cutout", "white background", "photoshop"),
            ),
            _sub(
                "Photo Restoration",
                "photo-restoration",
                "Old, damaged photos brought back to life.",
                (
                    "I will restore and colorize your old family photos",
                    "I will repair damaged or faded photos",
                ),
                ("photo restoration", "colorize", "old photos", "repair", "retouching"),
            ),
        ),
        fill={
            "photos": (
                "portrait photos",
                "product photos",
                "wedding photos",
                "real estate photos",
                "headshots",
            ),
            "count": ("10", "25", "50", "100"),
            "style": ("clean", "bright", "moody", "minimal", "premium"),
            "store": ("Amazon", "Shopify", "Etsy", "eBay"),
        },
        features=(
            "Number of images",
            "Color correction",
            "Background removal",
            "Skin retouching",
            "High resolution",
            "Commercial use",
        ),
        tier_descriptions=(
            (
                "Up to 5 images with basic corrections.",
                "A small batch edited by hand.",
            ),
            (
                "Up to 20 images with detailed retouching.",
                "A medium batch with background cleanup.",
            ),
            (
                "Up to 50 images, advanced retouching and every format you need.",
                "Large batch, priority handling and full-resolution files.",
            ),
        ),
        extras=(
            ("Extra 10 images", "Ten more images edited to the same standard."),
            ("Raw files", "The unedited originals from the shoot."),
            ("Shadow and reflection", "Natural shadows for a professional look."),
        ),
        requirements=(
            Requirement("Describe the edits you want.", "text"),
            Requirement(
                "What background do you need?",
                "choice",
                ("Pure white", "Transparent", "Keep original", "Custom colour"),
            ),
            Requirement("Upload your photos.", "file"),
        ),
        faqs=(
            (
                "Do you edit by hand?",
                "Yes, every image is edited by hand in Photoshop or Lightroom.",
            ),
            (
                "Can I get marketplace-ready sizes?",
                "Yes, tell me the marketplace and I will export to its rules.",
            ),
        ),
        intros=(
            "Great photos sell. I offer {sub_lower} with a natural look, consistent colours and "
            "the sharp detail that makes people stop scrolling.",
            "I have edited thousands of images for stores, studios and families. My "
            "{sub_lower} is careful, consistent and quick.",
        ),
        deliverables=(
            "High-resolution JPG and PNG files",
            "Consistent colour across the set",
            "Hand editing, no cheap filters",
            "Sizes ready for web and print",
        ),
        skills=(
            "Adobe Photoshop",
            "Lightroom",
            "Retouching",
            "Product photography",
            "Color correction",
            "Capture One",
        ),
        headlines=(
            "Retoucher with a natural, high-end look",
            "Product photographer for online stores",
            "Photo restoration artist bringing memories back",
        ),
        job_titles=("Photographer", "Photo Retoucher", "Studio Assistant"),
        degrees=("BA in Photography", "Diploma in Digital Imaging", "BFA in Fine Arts"),
        certifications=(
            ("Adobe Certified Professional in Visual Design", "Adobe"),
            ("Professional Photographers of America CPP", "PPA"),
        ),
        portfolio_items=("Before and after gallery", "Product shoot", "Restoration samples"),
        price_band=(500, 6_000),
        weight=6,
    ),
)

# --------------------------------------------------------------------------------------------
# Gig packages, extras, FAQs, description scaffolding
# --------------------------------------------------------------------------------------------

TIER_NAMES: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] = (
    ("Basic", "Starter", "Essential", "Lite"),
    ("Standard", "Professional", "Growth", "Plus"),
    ("Premium", "Ultimate", "Complete", "Business"),
)

FAST_DELIVERY_TITLES = ("Extra-fast delivery", "Express delivery", "Rush order")
EXTRA_REVISION_TITLES = ("Additional revision", "One more revision round")

GENERIC_FAQS: tuple[tuple[str, str], ...] = (
    (
        "Should I message you before ordering?",
        "It helps for larger projects, so we can agree on scope. For small jobs, just order.",
    ),
    (
        "What if I am not happy with the result?",
        "Tell me what is missing and I will revise it within the revisions of your package.",
    ),
    (
        "Can you deliver faster?",
        "Often, yes. Add the express delivery extra or message me to check my schedule.",
    ),
    (
        "Do you offer discounts for repeat orders?",
        "Yes, returning clients get priority and a custom offer for bigger volumes.",
    ),
)

SELLING_POINTS = (
    "Fast, friendly communication: I usually reply within a few hours",
    "Revisions until the work matches the brief",
    "Trusted by clients from more than 20 countries",
    "On-time delivery, every time",
    "A clear process with no surprises",
)

CLOSINGS = (
    "Message me before ordering if you have questions; I am happy to help.",
    "Not sure which package fits? Send me a message and I will suggest one.",
    "Ready when you are. Let us make something great together.",
    "For bigger projects, ask for a custom offer.",
)

# --------------------------------------------------------------------------------------------
# People and places
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    native_languages: tuple[str, ...]
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    institutions: tuple[str, ...]
    seller_weight: int
    buyer_weight: int
    english_native: bool = False


COUNTRIES: tuple[Country, ...] = (
    Country(
        "US",
        ("English",),
        (
            "James",
            "Emily",
            "Michael",
            "Sarah",
            "David",
            "Jessica",
            "Chris",
            "Ashley",
            "Daniel",
            "Megan",
            "Ryan",
            "Lauren",
            "Tyler",
            "Olivia",
        ),
        (
            "Smith",
            "Johnson",
            "Miller",
            "Davis",
            "Garcia",
            "Wilson",
            "Anderson",
            "Thompson",
            "Moore",
            "Taylor",
            "Clark",
            "Brooks",
        ),
        ("University of Michigan", "Arizona State University", "University of Texas at Austin"),
        10,
        30,
        english_native=True,
    ),
    Country(
        "GB",
        ("English",),
        ("Oliver", "Amelia", "Harry", "Isla", "George", "Sophie", "Jack", "Charlotte", "Thomas"),
        ("Wright", "Evans", "Roberts", "Hughes", "Edwards", "Green", "Hall", "Wood", "Turner"),
        ("University of Manchester", "University of Leeds", "King's College London"),
        6,
        10,
        english_native=True,
    ),
    Country(
        "CA",
        ("English", "French"),
        ("Liam", "Chloe", "Ethan", "Ava", "Noah", "Zoe", "Lucas", "Maya"),
        ("Tremblay", "Roy", "Gagnon", "MacDonald", "Campbell", "Fraser", "Leblanc"),
        ("University of Toronto", "McGill University"),
        3,
        6,
        english_native=True,
    ),
    Country(
        "AU",
        ("English",),
        ("Lachlan", "Matilda", "Hamish", "Ruby", "Mia", "Jack", "Ella", "Archie"),
        ("Kelly", "Ryan", "Mitchell", "Murphy", "O'Brien", "Walsh", "Bennett"),
        ("University of Melbourne", "University of Sydney"),
        2,
        5,
        english_native=True,
    ),
    Country(
        "IE",
        ("English",),
        ("Aoife", "Conor", "Niamh", "Sean", "Ciara", "Darragh"),
        ("Byrne", "Kelly", "O'Sullivan", "Doyle", "Lynch", "Quinn"),
        ("Trinity College Dublin", "University College Cork"),
        1,
        2,
        english_native=True,
    ),
    Country(
        "IN",
        ("Hindi", "Tamil", "Bengali", "Marathi", "Telugu"),
        (
            "Aarav",
            "Priya",
            "Rohan",
            "Ananya",
            "Arjun",
            "Sneha",
            "Vikram",
            "Kavya",
            "Rahul",
            "Neha",
            "Siddharth",
            "Pooja",
            "Karan",
            "Ishita",
        ),
        (
            "Sharma",
            "Patel",
            "Gupta",
            "Reddy",
            "Iyer",
            "Nair",
            "Singh",
            "Mehta",
            "Kapoor",
            "Joshi",
            "Desai",
            "Chatterjee",
        ),
        ("University of Mumbai", "Anna University", "Delhi University", "IIT Bombay"),
        12,
        3,
    ),
    Country(
        "PK",
        ("Urdu", "Punjabi"),
        ("Ali", "Ayesha", "Hamza", "Fatima", "Usman", "Zainab", "Bilal", "Hira", "Hassan", "Sana"),
        ("Khan", "Ahmed", "Malik", "Qureshi", "Butt", "Chaudhry", "Raza", "Siddiqui"),
        ("University of the Punjab", "NUST Islamabad", "LUMS"),
        9,
        1,
    ),
    Country(
        "BD",
        ("Bengali",),
        ("Rahim", "Nusrat", "Tanvir", "Farhana", "Arif", "Sadia", "Imran", "Mim"),
        ("Hossain", "Rahman", "Islam", "Akter", "Chowdhury", "Sarker"),
        ("University of Dhaka", "BRAC University"),
        6,
        1,
    ),
    Country(
        "NG",
        ("English", "Yoruba", "Igbo", "Hausa"),
        ("Chinedu", "Amaka", "Tunde", "Ngozi", "Emeka", "Funmilayo", "Olumide", "Aisha"),
        ("Okafor", "Adeyemi", "Eze", "Balogun", "Nwosu", "Okonkwo", "Bello", "Adebayo"),
        ("University of Lagos", "Obafemi Awolowo University"),
        5,
        1,
    ),
    Country(
        "KE",
        ("Swahili", "English"),
        ("Wanjiru", "Brian", "Achieng", "Kevin", "Njeri", "Faith"),
        ("Odhiambo", "Kariuki", "Mutua", "Kamau", "Kiprop", "Omondi"),
        ("University of Nairobi", "Strathmore University"),
        3,
        1,
    ),
    Country(
        "ZA",
        ("English", "Zulu", "Afrikaans"),
        ("Thabo", "Lerato", "Sipho", "Naledi", "Johan", "Anika"),
        ("Dlamini", "Nkosi", "van der Merwe", "Botha", "Mokoena", "Naidoo"),
        ("University of Cape Town", "University of the Witwatersrand"),
        2,
        2,
    ),
    Country(
        "EG",
        ("Arabic",),
        ("Omar", "Nour", "Youssef", "Mariam", "Ahmed", "Salma", "Karim", "Laila"),
        ("Hassan", "Mahmoud", "Ibrahim", "Mostafa", "Farouk", "Saleh"),
        ("Cairo University", "Ain Shams University"),
        3,
        1,
    ),
    Country(
        "MA",
        ("Arabic", "French"),
        ("Yassine", "Salma", "Mehdi", "Imane", "Anas", "Khadija"),
        ("El Amrani", "Benali", "Alaoui", "Berrada", "Tazi"),
        ("Mohammed V University",),
        1,
        1,
    ),
    Country(
        "DE",
        ("German",),
        ("Lukas", "Lena", "Felix", "Anna", "Jonas", "Laura", "Maximilian", "Marie"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Wagner", "Hoffmann"),
        ("TU München", "Universität Hamburg", "Humboldt-Universität zu Berlin"),
        3,
        6,
    ),
    Country(
        "FR",
        ("French",),
        ("Lucas", "Camille", "Hugo", "Léa", "Louis", "Manon", "Théo", "Chloé"),
        ("Martin", "Bernard", "Dubois", "Laurent", "Lefèvre", "Moreau", "Girard", "Fontaine"),
        ("Université de Lyon", "Sorbonne Université"),
        2,
        4,
    ),
    Country(
        "ES",
        ("Spanish",),
        ("Pablo", "Lucía", "Javier", "Carmen", "Álvaro", "Marta", "Diego", "Elena"),
        ("García", "Fernández", "López", "Martínez", "Sánchez", "Romero", "Navarro", "Torres"),
        ("Universidad Complutense de Madrid", "Universitat de Barcelona"),
        2,
        2,
    ),
    Country(
        "IT",
        ("Italian",),
        ("Matteo", "Giulia", "Alessandro", "Chiara", "Lorenzo", "Francesca", "Davide", "Sara"),
        ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
        ("Politecnico di Milano", "Università di Bologna"),
        2,
        2,
    ),
    Country(
        "PT",
        ("Portuguese",),
        ("João", "Inês", "Tiago", "Beatriz", "Rui", "Mariana"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Costa", "Oliveira"),
        ("Universidade do Porto", "Universidade de Lisboa"),
        1,
        1,
    ),
    Country(
        "NL",
        ("Dutch",),
        ("Daan", "Sanne", "Bram", "Fleur", "Sem", "Lotte"),
        ("de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser"),
        ("Delft University of Technology", "University of Amsterdam"),
        1,
        3,
    ),
    Country(
        "SE",
        ("Swedish",),
        ("Erik", "Elsa", "Oscar", "Astrid", "Axel", "Maja"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Lindqvist", "Berg"),
        ("Lund University", "KTH Royal Institute of Technology"),
        1,
        2,
    ),
    Country(
        "PL",
        ("Polish",),
        ("Jakub", "Zuzanna", "Kacper", "Julia", "Mateusz", "Natalia"),
        ("Nowak", "Wójcik", "Kaczmarek", "Mazur", "Krawczyk", "Zając"),
        ("University of Warsaw", "Jagiellonian University"),
        2,
        1,
    ),
    Country(
        "UA",
        ("Ukrainian",),
        ("Oleksandr", "Anastasiia", "Dmytro", "Olena", "Andrii", "Kateryna", "Maksym", "Iryna"),
        ("Shevchenko", "Bondarenko", "Kovalenko", "Tkachenko", "Melnyk", "Kravchenko", "Boyko"),
        ("Kyiv Polytechnic Institute", "Lviv Polytechnic National University"),
        5,
        1,
    ),
    Country(
        "RO",
        ("Romanian",),
        ("Andrei", "Ioana", "Mihai", "Elena", "Alexandru", "Bianca"),
        ("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu", "Radu"),
        ("University of Bucharest", "Babeș-Bolyai University"),
        2,
        1,
    ),
    Country(
        "TR",
        ("Turkish",),
        ("Emre", "Elif", "Burak", "Zeynep", "Mert", "Ayşe", "Can", "Selin"),
        ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan"),
        ("Boğaziçi University", "Middle East Technical University"),
        2,
        1,
    ),
    Country(
        "BR",
        ("Portuguese",),
        ("Gabriel", "Ana", "Rafael", "Juliana", "Pedro", "Larissa", "Thiago", "Camila"),
        ("Souza", "Lima", "Carvalho", "Almeida", "Ribeiro", "Gomes", "Rocha", "Barbosa"),
        ("Universidade de São Paulo", "Unicamp"),
        4,
        2,
    ),
    Country(
        "MX",
        ("Spanish",),
        ("Carlos", "Valeria", "Luis", "Fernanda", "Jorge", "Daniela", "Miguel", "Sofía"),
        ("Hernández", "González", "Ramírez", "Flores", "Cruz", "Morales", "Reyes", "Ortiz"),
        ("UNAM", "Tecnológico de Monterrey"),
        3,
        1,
    ),
    Country(
        "AR",
        ("Spanish",),
        ("Santiago", "Martina", "Facundo", "Agustina", "Nicolás", "Florencia"),
        ("Fernández", "Gómez", "Díaz", "Álvarez", "Romero", "Sosa"),
        ("Universidad de Buenos Aires",),
        2,
        1,
    ),
    Country(
        "CO",
        ("Spanish",),
        ("Andrés", "Catalina", "Sebastián", "Natalia", "Julián", "Paula"),
        ("Rodríguez", "Vargas", "Castro", "Jiménez", "Rojas", "Mejía"),
        ("Universidad de los Andes", "Universidad Nacional de Colombia"),
        2,
        1,
    ),
    Country(
        "PH",
        ("Filipino",),
        ("Mark", "Kristine", "Paolo", "Angelica", "Joshua", "Patricia", "Carlo", "Bea"),
        ("Santos", "Reyes", "Cruz", "Bautista", "Mendoza", "Villanueva", "Aquino"),
        ("University of the Philippines", "Ateneo de Manila University"),
        5,
        1,
    ),
    Country(
        "VN",
        ("Vietnamese",),
        ("Minh", "Linh", "Huy", "Trang", "Khoa", "Thảo"),
        ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu"),
        ("Hanoi University of Science and Technology", "Vietnam National University"),
        2,
        1,
    ),
    Country(
        "ID",
        ("Indonesian",),
        ("Budi", "Putri", "Agus", "Dewi", "Rizky", "Sari", "Fajar", "Ayu"),
        ("Santoso", "Wijaya", "Saputra", "Kusuma", "Pratama", "Hidayat"),
        ("Universitas Indonesia", "Institut Teknologi Bandung"),
        3,
        1,
    ),
    Country(
        "JP",
        ("Japanese",),
        ("Haruto", "Yui", "Ren", "Aoi", "Sota", "Hina"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito"),
        ("Waseda University", "Keio University"),
        1,
        2,
    ),
    Country(
        "KR",
        ("Korean",),
        ("Minjun", "Seoyeon", "Jiho", "Jiwoo", "Hyunwoo", "Soyeon"),
        ("Kim", "Lee", "Park", "Choi", "Jung", "Kang"),
        ("Yonsei University", "Seoul National University"),
        1,
        1,
    ),
)

# Second languages people list besides their native one and English.
OTHER_LANGUAGES = ("Spanish", "French", "German", "Arabic", "Portuguese", "Italian", "Hindi")
LANGUAGE_LEVELS = ("native", "fluent", "conversational", "basic")

ONLINE_INSTITUTIONS = ("Coursera", "edX", "Udemy", "Google", "LinkedIn Learning")

COMPANIES = (
    "Northwind Studio",
    "Brightpath Media",
    "Bluecrest Digital",
    "Kite & Key Agency",
    "Lumen Labs",
    "Harbor Creative",
    "Pinecone Software",
    "Redwood Consulting",
    "Silverline Marketing",
    "Atlas Ventures",
    "Juniper Analytics",
    "Copperleaf Productions",
)

BIO_OPENINGS = (
    "Hi, I'm {first}! I have {years} years of experience as {job_a}.",
    "Hello! I'm {first}, {job_a} based in {country_name} with {years} years in the field.",
    "I'm {first}, and I have spent the last {years} years working as {job_a}.",
)

BIO_MIDDLES = (
    "I have worked with startups, agencies and established brands, and I care about doing "
    "the job properly rather than quickly.",
    "My clients value clear communication, realistic deadlines and work that needs few revisions.",
    "Before going freelance I worked at {company}, where I learnt how to deliver under real "
    "deadlines.",
    "I specialise in {skill_a} and {skill_b}, and I keep learning to stay current.",
)

BIO_CLOSINGS = (
    "Send me a message and tell me about your project.",
    "Let's work together on your next project.",
    "I reply quickly, so feel free to ask anything before ordering.",
)

EXPERIENCE_DESCRIPTIONS = (
    "Delivered projects for clients across several industries.",
    "Led small projects from brief to delivery and handled client communication.",
    "Worked in a cross-functional team on client and in-house projects.",
    "Built long-term relationships with repeat clients.",
)

COUNTRY_NAMES = {
    "US": "the United States",
    "GB": "the United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "IE": "Ireland",
    "IN": "India",
    "PK": "Pakistan",
    "BD": "Bangladesh",
    "NG": "Nigeria",
    "KE": "Kenya",
    "ZA": "South Africa",
    "EG": "Egypt",
    "MA": "Morocco",
    "DE": "Germany",
    "FR": "France",
    "ES": "Spain",
    "IT": "Italy",
    "PT": "Portugal",
    "NL": "the Netherlands",
    "SE": "Sweden",
    "PL": "Poland",
    "UA": "Ukraine",
    "RO": "Romania",
    "TR": "Turkey",
    "BR": "Brazil",
    "MX": "Mexico",
    "AR": "Argentina",
    "CO": "Colombia",
    "PH": "the Philippines",
    "VN": "Vietnam",
    "ID": "Indonesia",
    "JP": "Japan",
    "KR": "South Korea",
}

USERNAME_SUFFIXES = ("studio", "works", "pro", "design", "dev", "creative", "hq", "lab")

# --------------------------------------------------------------------------------------------
# Orders and reviews
# --------------------------------------------------------------------------------------------

REQUIREMENT_ANSWERS = (
    "We are a small team launching next month; please keep it simple and professional.",
    "Everything is in the shared folder. Our audience is mostly 25-40 year olds.",
    "Please follow the brief attached. Our brand colours are navy and orange.",
    "I need this for our website relaunch. Happy to answer any questions.",
    "Use the examples I sent as inspiration, but make it our own.",
    "Target market is the US and the UK. Friendly but not too casual.",
)

DELIVERY_MESSAGES = (
    "Here is your delivery! Let me know if you would like any changes.",
    "All done. The files are attached and I have added a short note on each.",
    "Thanks for your patience. I am happy with how this turned out and hope you are too.",
    "Delivered ahead of schedule. Please review and tell me what you think.",
    "Final files attached, including the formats we discussed.",
)

REVIEW_POSITIVE = (
    "Excellent work, exactly what I asked for.",
    "Fast delivery and great communication throughout.",
    "Went above and beyond. Will definitely order again.",
    "Very professional and easy to work with.",
    "The quality exceeded my expectations.",
    "Understood the brief immediately and delivered on time.",
    "Super responsive and patient with my changes.",
    "Highly recommended!",
    "Great value for the price.",
    "Second time working together and just as good as the first.",
)

REVIEW_MIXED = (
    "Good work overall, but it took a couple of rounds to get it right.",
    "Delivery was a bit late, though the result was decent.",
    "Communication could have been better. The final result was fine.",
    "Okay for the price, not quite what I had in mind.",
)

REVIEW_NEGATIVE = (
    "Did not follow the brief and the revisions did not fix it.",
    "Late delivery and the quality was below what the samples showed.",
    "Had to chase for updates. Not what I expected.",
    "Disappointed with the result.",
)

SELLER_REPLIES_POSITIVE = (
    "Thank you so much! It was a pleasure working with you.",
    "Thanks for the kind words, looking forward to the next project.",
    "Glad you liked it! Always happy to help.",
)

SELLER_REPLIES_NEGATIVE = (
    "I'm sorry it did not meet your expectations. I offered more revisions and remain "
    "available to make it right.",
    "Thanks for the feedback. I have taken it on board to improve my process.",
)
