console.log("dashboard")
