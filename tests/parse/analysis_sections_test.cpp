// Document sections (description, périmètre, composants, parties prenantes, user stories with
// DICP, headlines), the product name and the story sentence.
#include <gtest/gtest.h>

#include "parse/analysis_parser.h"
#include "parse_test_support.h"

namespace risksync {
namespace {

using testing::kFields;
using testing::parse_clean;

TEST(AnalysisSections, FrenchSections) {
  const auto a = parse_clean(R"(# Analyse de risques — AudioConf

## Description

Le service AudioConf permet de réserver
une conférence téléphonique.

## Périmètre

Tout ce qui engage l'équipe.

## Composants

- Code source
- Services utilisés :
  - Envoi d'email
  - API tierces

## Parties prenantes

- Agents publics
- Administrateur technique

## User stories

- En tant qu'agent public, je souhaite réserver une conférence
  - [D] Disponible sous 24 h
  - [I] Pas de besoin fort
  - [C] Le numéro est confidentiel
  - [T] Le domaine est tracé
- En tant que participant, je souhaite rejoindre une conférence
  - [D] Disponible sous 5 minutes

## Titres de journaux

- Des conférences de l'État espionnées
- King Kong fait tomber le réseau

## Abuser stories

### AS1 — En tant que hacker
)" + std::string(kFields));
  EXPECT_EQ(a.product, "AudioConf");
  EXPECT_EQ(a.description, "Le service AudioConf permet de réserver une conférence téléphonique.");
  EXPECT_EQ(a.perimeter, "Tout ce qui engage l'équipe.");
  EXPECT_EQ(a.components, (std::vector<std::string>{
                              "Code source", "Services utilisés : Envoi d'email, API tierces"}));
  EXPECT_EQ(a.stakeholders,
            (std::vector<std::string>{"Agents publics", "Administrateur technique"}));
  ASSERT_EQ(a.user_stories.size(), 2u);
  EXPECT_EQ(a.user_stories[0].text, "En tant qu'agent public, je souhaite réserver une conférence");
  EXPECT_EQ(a.user_stories[0].where.line, 26);
  EXPECT_EQ(a.user_stories[0].needs.availability, "Disponible sous 24 h");
  EXPECT_EQ(a.user_stories[0].needs.integrity, "Pas de besoin fort");
  EXPECT_EQ(a.user_stories[0].needs.confidentiality, "Le numéro est confidentiel");
  EXPECT_EQ(a.user_stories[0].needs.proof, "Le domaine est tracé");
  EXPECT_EQ(a.user_stories[1].needs.availability, "Disponible sous 5 minutes");
  EXPECT_EQ(a.headlines, (std::vector<std::string>{"Des conférences de l'État espionnées",
                                                   "King Kong fait tomber le réseau"}));
  ASSERT_EQ(a.stories.size(), 1u);
}

TEST(AnalysisSections, EnglishAndUnaccentedHeadings) {
  const auto a = parse_clean(R"(# Risk analysis: Pad

## DESCRIPTION

A collaborative pad.

## Perimetre

Everything.

## Components

- Source code

## Stakeholders

- Users

## User stories

### As a user, I want to write a pad

[D] Available within a day
[C] Pads are private

## Headlines

- Pads leaked

## ABUSER STORIES

### AS1 — As a hacker, I want to read pads
)" + std::string(kFields));
  EXPECT_EQ(a.product, "Pad");
  EXPECT_EQ(a.description, "A collaborative pad.");
  EXPECT_EQ(a.perimeter, "Everything.");
  EXPECT_EQ(a.components, std::vector<std::string>{"Source code"});
  EXPECT_EQ(a.stakeholders, std::vector<std::string>{"Users"});
  ASSERT_EQ(a.user_stories.size(), 1u);
  EXPECT_EQ(a.user_stories[0].text, "As a user, I want to write a pad");
  EXPECT_EQ(a.user_stories[0].needs.availability, "Available within a day");
  EXPECT_EQ(a.user_stories[0].needs.confidentiality, "Pads are private");
  EXPECT_EQ(a.headlines, std::vector<std::string>{"Pads leaked"});
  EXPECT_EQ(a.stories.at(0).attacker, "hacker");
}

TEST(AnalysisSections, ProductTitleVariants) {
  const auto product = [](std::string_view h1) {
    return parse_clean("# " + std::string(h1) + "\n\n### AS1 — En tant que hacker\n" +
                       std::string(kFields))
        .product;
  };
  EXPECT_EQ(product("Analyse de risques — AudioConf"), "AudioConf");
  EXPECT_EQ(product("Analyse de risques de sécurité : Plateforme Santé"), "Plateforme Santé");
  EXPECT_EQ(product("Analyse des risques - Mon Service"), "Mon Service");
  EXPECT_EQ(product("AudioConf"), "AudioConf");
  EXPECT_EQ(product("Analyse de risques"), "Analyse de risques");
}

TEST(AnalysisSections, FirstTitleThatIsASectionOrAStoryIsNotTheProduct) {
  const auto a = parse_clean("# Description\n\nUn service.\n\n# AS1 — En tant que hacker\n" +
                             std::string(kFields));
  EXPECT_EQ(a.product, "");
  EXPECT_EQ(a.description, "Un service.");
  ASSERT_EQ(a.stories.size(), 1u);
}

TEST(AnalysisSections, SentenceInEitherClauseOrder) {
  const auto a = parse_clean(R"(## Abuser stories

### AS1 — Afin de revendre des données de santé, en tant que cybercriminel, lorsque l'API de recherche est mal protégée, je souhaite extraire les dossiers

- Gravité : 4
- Vraisemblance actuelle : 2
- Mesures possibles : X
- Vraisemblance cible : 1

### AS2 — En tant qu'attaquant étatique,
)" + std::string(kFields) + R"(
### AS3

En tant que hacktiviste,
lorsque l’API OVH est vulnérable,
je souhaite saturer les appels
afin de ridiculiser le gouvernement
)" + std::string(kFields));
  ASSERT_EQ(a.stories.size(), 3u);
  EXPECT_EQ(a.stories[0].attacker, "cybercriminel");
  EXPECT_EQ(a.stories[0].component, "l'API de recherche");
  EXPECT_EQ(a.stories[1].attacker, "attaquant étatique");
  EXPECT_EQ(a.stories[1].component, "");
  EXPECT_EQ(a.stories[2].attacker, "hacktiviste");
  EXPECT_EQ(a.stories[2].component, "l’API OVH");
  EXPECT_EQ(a.stories[2].text,
            "En tant que hacktiviste, lorsque l’API OVH est vulnérable, je souhaite saturer les "
            "appels afin de ridiculiser le gouvernement");
}

TEST(AnalysisSections, SourceFileIsKept) {
  const auto a = parse_clean("### AS1 — En tant que hacker\n" + std::string(kFields));
  EXPECT_EQ(a.source_file, "analyse.md");
}

}  // namespace
}  // namespace risksync
