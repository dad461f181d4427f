using MLIntern.Server.Cli;

return Commands.Run(args);
