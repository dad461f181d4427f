// Finding, Severity, SourceRange, Fix and RuleInfo moved to MLIntern.Findings; one using for the project.
global using MLIntern.Findings;
