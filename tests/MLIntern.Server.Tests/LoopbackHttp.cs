using System.Net;
using System.Net.Sockets;

namespace MLIntern.Server.Tests;

/// <summary>
/// An HttpListener on a free loopback port. The port is found by binding port 0 and letting it go, so
/// another test (tests run in parallel) can take it before the listener does; then a new port is tried.
/// </summary>
internal static class LoopbackHttp
{
    public static (HttpListener Listener, int Port) Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, port);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }
}
