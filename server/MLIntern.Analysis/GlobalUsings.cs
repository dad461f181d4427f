// Every rule asks the knowledge layer; one using for the project instead of one per file.
global using MLIntern.Analysis.Knowledge;
// Findings, ranges and fixes are everywhere in the rules.
global using MLIntern.Findings;
